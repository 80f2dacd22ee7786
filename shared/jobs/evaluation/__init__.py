"""Pure logic of the ``bulk_evaluation`` job type: scorers, dataset parsing and job configuration."""

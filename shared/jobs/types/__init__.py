"""The job types this app serves; importing this package registers them all.

The ``pods.*`` types run on the services: they are built in ``shared.services.pod_jobs`` and
registered by ``shared.deps``.
"""

from shared.jobs.types import bulk_evaluation, echo

__all__ = ["bulk_evaluation", "echo"]

"""One module per area; each exposes ``command`` (a click group). The root lists this package."""

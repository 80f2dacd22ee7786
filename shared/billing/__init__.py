"""Billing: the provider seam, pure pricing (periods, rates) and the built-in provider."""

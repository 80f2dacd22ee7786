"""Use cases the triggers call: each takes validated input and the caller, and returns models."""

"""The job types this app serves; importing this package registers them all."""

from shared.jobs.types import echo

__all__ = ["echo"]

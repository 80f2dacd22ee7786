"""The job types this app serves; importing this package registers them all."""

from shared.jobs.types import bulk_evaluation, echo, pods

__all__ = ["bulk_evaluation", "echo", "pods"]

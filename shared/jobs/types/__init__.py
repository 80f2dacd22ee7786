"""The job types this app serves; importing this package registers them all.

Types that need collaborators are built by a factory and registered by ``shared.deps``: the
``pods.*`` types (``shared.services.pod_jobs``) and ``bulk_evaluation`` (its rows come from the
datasets repository).
"""

from shared.jobs.types import echo

__all__ = ["echo"]

"""Timer-triggered maintenance of jobs: the stale-job sweeper (see shared/jobs/sweeper.py)."""

from __future__ import annotations

import azure.functions as func

from shared import deps
from shared.config import get_settings
from shared.jobs.store import now

bp = func.Blueprint()

# Every minute, as a literal: a %SETTING% schedule would stop the host from starting wherever
# that app setting is missing, and a sweep that finds nothing costs one small query.
SWEEP_SCHEDULE = "0 */1 * * * *"


@bp.function_name("sweep_stale_jobs")
@bp.timer_trigger(arg_name="timer", schedule=SWEEP_SCHEDULE, run_on_startup=False, use_monitor=True)
def sweep_stale_jobs(timer: func.TimerRequest) -> None:
    """Re-send the work of stale queued/running jobs and fail those stuck past the fail age."""
    from shared.jobs import sweeper  # on the first sweep, not at cold start

    settings = get_settings()
    sweeper.sweep(
        deps.jobs(),
        now(),
        settings.stale_queued_seconds,
        settings.stale_running_seconds,
        settings.stale_fail_seconds,
    )

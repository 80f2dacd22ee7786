"""A Kubernetes pod's phase and conditions as the API's five statuses."""

from __future__ import annotations

from typing import Any

from shared.models.pods import PodStatus

_WAITING_FAILURES = {
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CrashLoopBackOff",
}
_PHASES: dict[str, PodStatus] = {
    "Pending": "pending",
    "Running": "running",
    "Succeeded": "succeeded",
    "Failed": "failed",
}


def status_of(pod: dict[str, Any]) -> PodStatus:
    """Phase and conditions to ``pending``, ``running``, ``succeeded``, ``failed`` or ``unknown``.

    No status at all is ``pending`` (a pod just accepted by the API). A pod that cannot
    start (image pull errors, crash loops) is ``failed`` whatever its phase says.
    """
    status = pod.get("status") or {}
    phase = status.get("phase")
    for container in status.get("containerStatuses") or []:
        waiting = ((container or {}).get("state") or {}).get("waiting") or {}
        if waiting.get("reason") in _WAITING_FAILURES:
            return "failed"
    if phase is None:
        return "pending" if not status else "unknown"
    return _PHASES.get(str(phase), "unknown")


def holds_resources(pod: dict[str, Any]) -> bool:
    """Whether the pod still counts against its node's room (a finished pod does not)."""
    return status_of(pod) not in ("succeeded", "failed")

"""Power actions on an OpenStack cloud's servers ("devices") and Heat stacks ("racks").

The request bodies, the job's configuration, and the rules both the route and the job apply:
which state each action needs (anything else is a ``409`` at submission, not a failed job),
what OpenStack shows while it works, and the state that ends the job. Kept here, beside the
models, because the route's check and the job's state machine must agree on them.

A state is what openstacksdk reads: a server's ``status`` and ``task_state`` (Nova's
``OS-EXT-STS:task_state``, set while an action runs) and its ``fault``; a stack's
``stack_status`` and ``stack_status_reason``. ``DELETED`` stands for a resource that is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from shared.models.base import ApiModel
from shared.models.common import AddressableId

POWER_ACTION_JOB = "openstack.power_action"
DELETED = "DELETED"


class DeviceAction(StrEnum):
    ON = "on"
    OFF = "off"
    SUSPEND = "suspend"
    RESUME = "resume"
    DESTROY = "destroy"


class RackAction(StrEnum):
    SUSPEND = "suspend"
    RESUME = "resume"
    DESTROY = "destroy"


class DeviceActionRequest(ApiModel):
    """``POST /api/v1/clouds/{cloud_id}/devices/{server_id}/actions``."""

    model_config = ConfigDict(extra="forbid")

    action: DeviceAction = Field(description="on (os-start), off (os-stop), suspend, resume, or destroy (delete).")


class RackActionRequest(ApiModel):
    """``POST /api/v1/clouds/{cloud_id}/racks/{stack_id}/actions`` (a rack is a Heat stack)."""

    model_config = ConfigDict(extra="forbid")

    action: RackAction = Field(description="suspend, resume, or destroy (delete the stack).")


class PowerActionConfig(ApiModel):
    """The configuration of an ``openstack.power_action`` job."""

    model_config = ConfigDict(extra="forbid")

    cloud_id: AddressableId
    target: Literal["device", "rack"]
    target_id: str = Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9_.:-]+$")
    action: str = Field(min_length=1, max_length=20)
    timeout_seconds: int | None = Field(
        None, ge=1, le=86_400, description="Fail when the target state is not reached by then (default: the setting)."
    )
    state_at_submission: str | None = Field(None, max_length=100)

    @model_validator(mode="after")
    def _known_action(self) -> PowerActionConfig:
        actions = DeviceAction if self.target == "device" else RackAction
        if self.action not in {a.value for a in actions}:
            raise ValueError(f"a {self.target} takes the actions {', '.join(a.value for a in actions)}")
        return self


@dataclass(frozen=True)
class Observed:
    """One look at a server or stack."""

    status: str
    task_state: str | None = None
    reason: str | None = None
    """A server's fault message, a stack's status reason."""
    flavor: str | None = None
    """A server's flavor name (its id on Nova before 2.47), for metering; None for a stack."""
    project_id: str | None = None
    """The project (team) the server belongs to, whose billing account its hours go to."""

    @property
    def busy(self) -> bool:
        """OpenStack is working on it (an action of ours, or someone else's)."""
        return self.task_state is not None or self.status.endswith("_IN_PROGRESS")

    def shown(self) -> str:
        return f"{self.status} ({self.task_state})" if self.task_state else self.status

    def as_details(self) -> dict[str, Any]:
        details: dict[str, Any] = {"state": self.status}
        if self.task_state:
            details["task_state"] = self.task_state
        return details


# Devices: the states Nova accepts each action in, and the state that ends it.
DEVICE_ALLOWED: dict[str, frozenset[str] | None] = {
    "on": frozenset({"SHUTOFF"}),
    "off": frozenset({"ACTIVE", "ERROR"}),
    "suspend": frozenset({"ACTIVE", "SHUTOFF"}),
    "resume": frozenset({"SUSPENDED"}),
    "destroy": None,  # any state
}
DEVICE_TARGET = {"on": "ACTIVE", "off": "SHUTOFF", "suspend": "SUSPENDED", "resume": "ACTIVE", "destroy": DELETED}

# Racks (Heat stacks): suspend needs a finished, not suspended stack; resume a suspended one.
RACK_TARGET = {"suspend": "SUSPEND_COMPLETE", "resume": "RESUME_COMPLETE", "destroy": DELETED}


def refusal(target: str, action: str, seen: Observed) -> str | None:
    """Why ``action`` makes no sense on a ``target`` (device or rack) in state ``seen``; None if it does."""
    if seen.status == DELETED:
        return "it is already deleted"
    if seen.busy:
        return f"OpenStack is busy with it ({seen.shown()})"
    if target == "device":
        allowed = DEVICE_ALLOWED[action]
        if allowed is not None and seen.status not in allowed:
            return f"{action} needs a server in state {' or '.join(sorted(allowed))}"
        return None
    if action == "suspend" and (seen.status == "SUSPEND_COMPLETE" or not seen.status.endswith("_COMPLETE")):
        return "suspend needs a stack whose last operation completed and that is not suspended"
    if action == "resume" and seen.status != "SUSPEND_COMPLETE":
        return "resume needs a suspended stack (SUSPEND_COMPLETE)"
    return None


def target_state(target: str, action: str) -> str:
    return (DEVICE_TARGET if target == "device" else RACK_TARGET)[action]


def arrived(target: str, action: str, seen: Observed) -> bool:
    """The action is done: the target state, and nothing still running."""
    goal = target_state(target, action)
    if goal == DELETED:
        return seen.status in (DELETED, "DELETE_COMPLETE", "SOFT_DELETED")
    return seen.status == goal and seen.task_state is None


def failed(seen: Observed) -> bool:
    """OpenStack gave up on it: a server in ERROR, or a stack whose operation failed."""
    return not seen.busy and (seen.status == "ERROR" or seen.status.endswith("_FAILED"))

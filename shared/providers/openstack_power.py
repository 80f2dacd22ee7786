"""Power actions over an openstacksdk connection: look at a server or stack, send one action.

Thin on purpose: the rules (what each action needs and aims at) are in
``shared/models/cloud_actions.py``, the waiting is the job's. What this module owns is how the
SDK says things: a missing resource (``NotFoundException``, and a stack in ``DELETE_COMPLETE``,
which the SDK reports the same way) is the state ``DELETED``; Nova's or Heat's ``409`` to an
action is ``ActionRefused`` with OpenStack's message; an SDK or transport error is
``CloudUnreachable``. ``openstack`` and ``keystoneauth1`` are imported on first use only.
"""

from __future__ import annotations

from typing import Any

from shared.models.cloud_actions import DELETED, Observed

# What the SDK calls each action on a server, and on a stack.
_SERVER_CALLS = {
    "on": "start_server",
    "off": "stop_server",
    "suspend": "suspend_server",
    "resume": "resume_server",
    "destroy": "delete_server",
}
_STACK_CALLS = {"suspend": "suspend_stack", "resume": "resume_stack", "destroy": "delete_stack"}


class ActionRefused(Exception):
    """OpenStack answered the action with a 409 (the resource is busy or in the wrong state)."""


class CloudUnreachable(Exception):
    """The cloud did not answer as it should (transport error, timeout, 5xx...)."""


def _errors() -> tuple[type[BaseException], type[BaseException], type[BaseException], tuple[type[BaseException], ...]]:
    from keystoneauth1 import exceptions as ksa
    from openstack import exceptions as sdk

    return sdk.NotFoundException, sdk.ConflictException, sdk.HttpException, (sdk.SDKException, ksa.ClientException)


def observe(connection: Any, target: str, resource_id: str) -> Observed:
    """One look at a device (server) or rack (stack)."""
    not_found, _, _, unreachable = _errors()
    try:
        if target == "device":
            server = connection.compute.get_server(resource_id)
            fault = server.fault if isinstance(server.fault, dict) else {}
            return Observed(str(server.status), server.task_state or None, fault.get("message") or None)
        stack = connection.orchestration.get_stack(resource_id, resolve_outputs=False)
        return Observed(str(stack.status), None, stack.status_reason or None)
    except not_found:
        return Observed(DELETED)
    except unreachable as error:
        raise CloudUnreachable(_describe(error)) from None


def send(connection: Any, target: str, action: str, resource_id: str) -> None:
    """Ask OpenStack to do ``action``; a resource already gone is fine for ``destroy``."""
    not_found, conflict, _, unreachable = _errors()
    try:
        if target == "device":
            getattr(connection.compute, _SERVER_CALLS[action])(resource_id)
        elif action == "destroy":
            connection.orchestration.delete_stack(resource_id, ignore_missing=False)
        else:
            getattr(connection.orchestration, _STACK_CALLS[action])(resource_id)
    except not_found:
        if action != "destroy":
            raise ActionRefused("it no longer exists") from None
    except conflict as error:
        raise ActionRefused(_describe(error)) from None
    except unreachable as error:
        raise CloudUnreachable(_describe(error)) from None


def _describe(error: BaseException) -> str:
    """OpenStack's own message, without the URL the SDK prefixes (it may carry ids, never secrets)."""
    details = getattr(error, "details", None)
    if isinstance(details, str) and details:
        return details[:500]
    status = getattr(error, "status_code", None)
    return f"{type(error).__name__}" + (f" (HTTP {status})" if status else "")

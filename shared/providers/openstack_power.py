"""Power actions over an openstacksdk connection: look at a server or stack, send one action.

Thin on purpose: the rules (what each action needs and aims at) are in
``shared/models/cloud_actions.py``, the waiting is the job's, and the errors are the connection
cache's (``CloudConnections.call`` classifies every SDK failure; the clouds service maps them to
the API's). What this module owns is what a missing resource means here: a server or stack
the SDK cannot find (``NotFoundException``, which it also raises for a stack in
``DELETE_COMPLETE``) is the state ``DELETED``, and one already gone is fine for ``destroy``.
Call these inside ``CloudsService.call``; ``openstack`` is imported on first use only.
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
_STACK_CALLS = {"suspend": "suspend_stack", "resume": "resume_stack"}


def observe(connection: Any, target: str, resource_id: str) -> Observed:
    """One look at a device (server) or rack (stack)."""
    from openstack import exceptions as sdk

    try:
        if target == "device":
            server = connection.compute.get_server(resource_id)
            fault = server.fault if isinstance(server.fault, dict) else {}
            flavor = server.flavor
            flavor_name = (getattr(flavor, "name", None) or getattr(flavor, "id", None)) if flavor else None
            return Observed(
                str(server.status),
                server.task_state or None,
                fault.get("message") or None,
                str(flavor_name) if flavor_name else None,
                server.project_id or None,
            )
        stack = connection.orchestration.get_stack(resource_id, resolve_outputs=False)
        return Observed(str(stack.status), None, stack.status_reason or None)
    except sdk.NotFoundException:
        return Observed(DELETED)


def send(connection: Any, target: str, action: str, resource_id: str) -> None:
    """Ask OpenStack to do ``action`` (a 409 comes out as the SDK's ``ConflictException``)."""
    from openstack import exceptions as sdk

    try:
        if target == "device":
            getattr(connection.compute, _SERVER_CALLS[action])(resource_id)
        elif action == "destroy":
            connection.orchestration.delete_stack(resource_id, ignore_missing=False)
        else:
            getattr(connection.orchestration, _STACK_CALLS[action])(resource_id)
    except sdk.NotFoundException:
        if action != "destroy":
            raise

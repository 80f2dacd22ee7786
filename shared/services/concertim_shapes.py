"""Seed 004's response shapes, from what the cloud services answer: pure functions, no I/O.

Concertim's UI reads these fields (``user_cloud_id``, ``project_id``, ``billing_acct_id``,
``key_pair.private_key``, ``quotas``, ``limits``...), so names and nesting are the seed's
(and its service's, where the seed shows ``...``). docs/compat.md lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.models.cloud_compute import CloudStatistics
    from shared.services.concertim import StatusChange


def status_response(change: StatusChange) -> dict[str, Any]:
    """``{"cloud_response": {...}}``: OpenStack took the action; it runs it asynchronously."""
    return {
        "cloud_response": {
            "submitted": True,
            "type": change.object_type,
            "id": change.object_id,
            "action": change.action,
            "state_at_submission": change.state_at_submission,
            "target_state": change.target_state,
        }
    }


def done() -> dict[str, Any]:
    return {"success": True}


def user_created(username: str, user_id: str) -> dict[str, Any]:
    """The seed's ``{"success": true, "username", "user_cloud_id"}``: ``username`` as Concertim sent it."""
    return {"success": True, "username": username, "user_cloud_id": user_id}


def user_updated(user_id: str, changed: list[str]) -> dict[str, Any]:
    """Concertim's service answered the changed fields as ``[["cloud_user", id, field], ...]``."""
    return {"success": True, "updated": [["cloud_user", user_id, name] for name in changed]}


def team_created(team: Mapping[str, str]) -> dict[str, Any]:
    """``{"success": true, "project_id", "billing_acct_id"}``."""
    return {"success": True, "project_id": team["project_id"], "billing_acct_id": team["billing_acct_id"]}


def quotas(values: Mapping[str, Any]) -> dict[str, Any]:
    """One flat dict of the compute, volume and network quotas, as Concertim merged them."""
    return {"success": True, "quotas": dict(values)}


def limits(values: Mapping[str, Any]) -> dict[str, Any]:
    """Nova's and Cinder's absolute limits (``maxTotalCores``, ``totalCoresUsed``...) in one dict."""
    return {"success": True, "limits": dict(values)}


def key_pair(value: Mapping[str, Any]) -> dict[str, Any]:
    """``{"id", "name", "public_key", "fingerprint"}`` (Nova's key pair id is its name), plus the
    private key on creation only."""
    shaped = {
        "id": value.get("id") or value.get("name"),
        "name": value.get("name"),
        "public_key": value.get("public_key"),
        "fingerprint": value.get("fingerprint"),
        "key_type": value.get("key_type") or value.get("type") or "ssh",
    }
    return shaped


def key_pairs(values: list[Mapping[str, Any]]) -> dict[str, Any]:
    return {"success": True, "key_pairs": [key_pair(value) for value in values]}


def key_pair_created(value: Mapping[str, Any]) -> dict[str, Any]:
    """``{"success": true, "key_pair": {..., "private_key"}}``: the private key is null for an imported key."""
    return {"success": True, "key_pair": {**key_pair(value), "private_key": value.get("private_key")}}


def key_pair_deleted(name: str) -> dict[str, Any]:
    return {"success": True, "key_pair_name": name}


def statistics(stats: CloudStatistics) -> dict[str, Any]:
    """``{"success": true, "stats": {...}}``. Concertim's service read the hypervisors' totals (Nova's
    ``os-hypervisors/statistics``, gone since microversion 2.88); these are the counts the credential
    sees, with ``running_vms`` as the servers' count so its UI's "Virtual Machines" line still fills."""
    return {
        "success": True,
        "stats": {
            "running_vms": stats.servers,
            "servers": stats.servers,
            "stacks": stats.stacks,
            "users": stats.users,
            "projects": stats.projects,
            "missing": list(stats.missing),
        },
    }

"""Seed 004's response shapes, from what the cloud services answer: pure functions, no I/O.

Concertim's UI reads these fields (``user_cloud_id``, ``project_id``, ``billing_acct_id``,
``key_pair.private_key``, ``quotas``, ``limits``...), so names and nesting are the seed's
(and its service's, where the seed shows ``...``). docs/compat.md lists them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

"""What an id in a URL may hold before it is used as a storage key.

Azure Table storage refuses ``/``, ``\\``, ``#``, ``?`` and control characters in a
PartitionKey or RowKey (the SDK retries, then the request fails as a 503, or a 500 on
Azure), and a key is at most 1 KiB. No id this API issues comes near either: they are hex,
``job_...``, ``pod_...``, DNS-1123 pod names or ``builtin:...``. So an id outside these
rules cannot name anything, and the edge answers it as not found without asking storage.
"""

from __future__ import annotations

import re

ID_MAX_LENGTH = 128
"""Longest id accepted in a path (4 bytes a character stays well under the 1 KiB key limit)."""

_REFUSED = re.compile(r"[/\\#?\x00-\x1f\x7f-\x9f]")
ID_PATTERN = rf"^[^/\\#?\x00-\x1f\x7f-\x9f]{{1,{ID_MAX_LENGTH}}}$"
"""The same rule as a regular expression, for the OpenAPI document (ECMA-262 and Python alike)."""


def is_addressable_id(value: str) -> bool:
    """Whether ``value`` could be the id of something stored (non-empty, bounded, key-safe)."""
    return 0 < len(value) <= ID_MAX_LENGTH and _REFUSED.search(value) is None

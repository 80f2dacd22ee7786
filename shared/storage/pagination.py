"""The one pagination helper: ``limit`` plus an opaque cursor over a Table query.

The cursor wraps the Table service's continuation token, so each page costs one query of
``limit`` entities however large the table grows. A list built live rather than read from a
table (pods, merged from several clusters) has no stored order to resume from: its cursor is
an offset into the list, ``encode_offset``/``decode_offset``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from azure.data.tables import TableClient

from shared.errors import BadRequest
from shared.jsontext import loads_untrusted
from shared.models.common import Page, PageQuery

T = TypeVar("T")


def encode_cursor(token: Any) -> str | None:
    if not token:
        return None
    return base64.urlsafe_b64encode(json.dumps(token, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Any:
    if not cursor:
        return None
    try:
        token = loads_untrusted(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        token = None
    if not _is_continuation_token(token):
        raise BadRequest("The cursor is not one this API issued.", code="INVALID_CURSOR")
    return token


_TOKEN_KEYS = frozenset({"PartitionKey", "RowKey"})
_TOKEN_VALUE = re.compile(r"[!-~]{1,1024}")
"""The Table service's continuation values are short printable ASCII (``1!12!dGVu...``)."""


def _is_continuation_token(token: Any) -> bool:
    """Whether ``token`` has the shape of a Table continuation token, so storage never sees another."""
    return (
        isinstance(token, dict)
        and bool(token)
        and set(token) <= _TOKEN_KEYS
        and all(isinstance(value, str) and _TOKEN_VALUE.fullmatch(value) for value in token.values())
    )


def query_page(
    table: TableClient,
    query_filter: str,
    parameters: dict[str, Any],
    page: PageQuery,
    convert: Callable[[Any], T],
) -> Page[T]:
    """One page of entities matching ``query_filter``, converted to API items."""
    pager: Any = table.query_entities(query_filter, parameters=parameters, results_per_page=page.limit).by_page(
        continuation_token=decode_cursor(page.cursor)
    )
    try:
        items = [convert(entity) for entity in next(pager)]
    except StopIteration:
        items = []
    next_cursor = encode_cursor(pager.continuation_token)
    return Page[T](items=items, next_cursor=next_cursor, has_more=next_cursor is not None)


_KEY_PREFIX = "k:"
_KEY_VALUE = re.compile(r"[!-~]{1,1024}")


def encode_key_cursor(row_key: str) -> str:
    """The cursor of a page that resumes after ``row_key``, for a list merged from several
    partitions in RowKey order (one continuation token cannot resume several queries)."""
    return base64.urlsafe_b64encode(f"{_KEY_PREFIX}{row_key}".encode()).decode().rstrip("=")


def decode_key_cursor(cursor: str | None) -> str | None:
    """The RowKey an ``encode_key_cursor`` cursor holds (None without one); 400 ``INVALID_CURSOR`` otherwise."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, ValueError):
        text = ""
    key = text[len(_KEY_PREFIX) :]
    if not text.startswith(_KEY_PREFIX) or not _KEY_VALUE.fullmatch(key):
        raise BadRequest("The cursor is not one this API issued.", code="INVALID_CURSOR")
    return key


_OFFSET_PREFIX = "o:"


def encode_offset(offset: int) -> str:
    """The cursor of the page that starts ``offset`` items into a live-built list."""
    return base64.urlsafe_b64encode(f"{_OFFSET_PREFIX}{offset}".encode()).decode()


def decode_offset(cursor: str | None) -> int:
    """The offset an ``encode_offset`` cursor holds (0 without one); 400 ``INVALID_CURSOR`` otherwise."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(_OFFSET_PREFIX):
            raise ValueError("not an offset cursor")
        offset = int(text[len(_OFFSET_PREFIX) :])
        if offset < 0:
            raise ValueError("a negative offset")
        return offset
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("The cursor is not valid.", code="INVALID_CURSOR") from None

"""Any string as a cursor is a page or a 400 INVALID_CURSOR, never a 500 (against real Azurite)."""

from __future__ import annotations

import base64
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.storage.pagination import decode_cursor, encode_cursor
from tests.functional.conftest import ADMIN
from tests.support.inprocess import InProcessClient

token_values = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=64)
tokens = st.dictionaries(st.sampled_from(["PartitionKey", "RowKey"]), token_values, min_size=1)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


cursors = st.one_of(
    st.text(max_size=200),
    st.binary(max_size=200).map(_b64),
    st.recursive(st.text(max_size=5), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)).map(
        lambda value: _b64(json.dumps(value).encode())
    ),
    tokens.map(lambda token: _b64(json.dumps(token).encode())),
)


@given(tokens)
def test_encoded_tokens_round_trip(token: dict[str, str]) -> None:
    assert decode_cursor(encode_cursor(token)) == token


@given(cursors)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_cursor_is_a_page_or_invalid_cursor(client: InProcessClient, cursor: str) -> None:
    reply = client.get("/api/v1/tenants", params={"cursor": cursor, "limit": "2"}, headers=ADMIN)
    assert reply.status in (200, 400, 422), (cursor, reply.status, reply.body[:300])
    body: Any = reply.json()
    if reply.status == 200:
        assert isinstance(body["items"], list)
    elif reply.status == 400:
        assert body["error"]["code"] == "INVALID_CURSOR"
    else:
        assert body["error"]["details"]["fields"][0]["path"] == "query.cursor"  # over 4096 characters

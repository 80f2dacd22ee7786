"""Property tests of the depth scan every parser of untrusted JSON goes through."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.jsontext import MAX_JSON_DEPTH, JsonTooDeep, json_depth_exceeds, loads_untrusted

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=40,
)


def depth_of(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(item) for item in value.values()), default=0)
    return 0


@given(values, st.integers(min_value=0, max_value=8))
@settings(max_examples=300, deadline=None)
def test_the_scan_agrees_with_the_real_depth(value: Any, limit: int) -> None:
    text = json.dumps(value)
    assert json_depth_exceeds(text, limit) is (depth_of(value) > limit)


@given(st.text(alphabet='[]{}"\\ ,:ab', max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_parses_or_raises_value_error(text: str) -> None:
    try:
        loads_untrusted(text, max_depth=3)
    except ValueError:
        return


@given(st.integers(min_value=MAX_JSON_DEPTH + 1, max_value=200_000), st.sampled_from(["[", '{"a":']))
@settings(max_examples=25, deadline=None)
def test_deep_nesting_is_refused_before_parsing(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    with pytest.raises(JsonTooDeep):
        loads_untrusted((opener * depth + "1" + closer * depth).encode())


def test_brackets_in_strings_and_escapes_do_not_count() -> None:
    text = json.dumps({"a": "[" * 500 + '\\"[' + "{" * 500})
    assert loads_untrusted(text)["a"].startswith("[[")
    assert loads_untrusted(json.dumps([[["x"]]]).encode("utf-16")) == [[["x"]]]

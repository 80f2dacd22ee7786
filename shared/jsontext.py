"""Parsing JSON that came from outside: bounded nesting before the parser sees it.

``json.loads`` recurses once per level of nesting, so ``[[[[...]]]]`` a thousand deep raises
``RecursionError`` (a 500) and anything just under that limit still costs every later
recursive step (validation, fingerprints, ``json.dumps``). Every parser of untrusted JSON
(request bodies, cursors, JSON Lines datasets) calls ``loads_untrusted`` so the limit is the
same everywhere and is checked by a flat scan that cannot recurse.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects accepted; no API shape comes near it."""

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class JsonTooDeep(ValueError):
    """The text nests arrays and objects deeper than allowed (a ``ValueError``, like a syntax error)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nested deeper than {limit} levels")
        self.limit = limit


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``text`` opens more than ``limit`` arrays or objects at once.

    Brackets inside strings do not count. The scan is linear and never recurses; for
    malformed text it may overcount (an unterminated string), which only turns one 400
    into another.
    """
    if text.count("[") + text.count("{") <= limit:
        return False  # fast path: too few brackets to nest that deep
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0) > limit


def loads_untrusted(data: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` for input from outside; raises ``ValueError`` for anything it refuses.

    That covers bad syntax (``json.JSONDecodeError``), bytes that are not UTF-8/16/32
    (``UnicodeDecodeError``) and nesting over ``max_depth`` (``JsonTooDeep``).
    """
    text = data.decode(json.detect_encoding(data)) if isinstance(data, bytes | bytearray) else data
    if json_depth_exceeds(text, max_depth):
        raise JsonTooDeep(max_depth)
    return json.loads(text)

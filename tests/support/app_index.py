"""The Functions app's triggers, indexed once per process.

``FunctionApp.get_functions`` refuses a second call on the same app, and several test
folders (functional, fuzz) and benchmarks need the HTTP triggers in one session: they all
take them from here.
"""

from __future__ import annotations

from typing import Any

from devhost.loader import FunctionSpec, index_functions

_INDEXED: dict[int, tuple[Any, list[FunctionSpec]]] = {}


def indexed(app: Any) -> list[FunctionSpec]:
    """Every trigger of ``app`` (indexed on the first call, then the same list)."""
    entry = _INDEXED.get(id(app))
    if entry is None or entry[0] is not app:
        entry = (app, index_functions(app))
        _INDEXED[id(app)] = entry
    return entry[1]

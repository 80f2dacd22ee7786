"""The base of every API schema.

``defer_build`` leaves each model's validator to be built on first use instead of at
import: a cold start then pays only for the models its first request touches, not for
all of them (measured in bench/cold_start.py).

Booleans are not numbers: Python (and Pydantic's lax mode) takes ``True`` for ``1``, so
``"storage_gb": false`` would be stored as ``0.0``. Every ``int`` and ``float`` in every
model (nested, in lists, dicts and unions alike) refuses a boolean here, once, instead of
a special type on each field. Strings of numbers stay accepted as before (query strings
arrive as text, and seed clients send ``"gpus": "1"``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler
from pydantic_core import CoreSchema, PydanticKnownError, core_schema

_NO_BOOL = "cloudplane_no_bool"
"""Metadata mark on a wrapped number schema, so a nested model's schema is not wrapped twice."""


def _refuse_bool_for_int(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticKnownError("int_type")
    return value


def _refuse_bool_for_float(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticKnownError("float_type")
    return value


_REFUSERS = {"int": _refuse_bool_for_int, "float": _refuse_bool_for_float}


def refuse_bool_numbers(schema: Any) -> Any:
    """``schema`` with every ``int`` and ``float`` validator behind a check that refuses booleans."""
    if isinstance(schema, list):
        return [refuse_bool_numbers(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    if not isinstance(kind, str):  # not a schema but a mapping of names (a model's fields, say)
        return {key: refuse_bool_numbers(value) for key, value in schema.items()}
    refuse = _REFUSERS.get(kind)
    if refuse is not None:
        return core_schema.no_info_before_validator_function(refuse, schema, metadata={_NO_BOOL: True})
    if (schema.get("metadata") or {}).get(_NO_BOOL):
        return schema
    return {
        key: value if key in ("serialization", "metadata") else refuse_bool_numbers(value)
        for key, value in schema.items()
    }


class ApiModel(BaseModel):
    model_config = ConfigDict(defer_build=True)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: type[BaseModel], handler: GetCoreSchemaHandler) -> CoreSchema:
        schema: CoreSchema = refuse_bool_numbers(handler(source))
        return schema

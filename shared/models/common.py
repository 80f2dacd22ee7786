"""Schemas shared by every area: the error envelope and the page of a listing."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, ConfigDict, Field

from shared.ids import ID_PATTERN, is_addressable_id
from shared.models.base import ApiModel

T = TypeVar("T")


def _addressable(value: str) -> str:
    if not is_addressable_id(value):
        raise ValueError("not an id: at most 128 characters, without / \\ # ? or control characters")
    return value


AddressableId = Annotated[
    str,
    AfterValidator(_addressable),
    Field(json_schema_extra={"pattern": ID_PATTERN}),
]
"""An id given in a body (``server_id``...): the same rule as ids in a path, so it never reaches
storage as a key the Table service refuses (a 422 naming the field instead of a 503)."""


class ErrorBody(ApiModel):
    code: str = Field(description="Stable UPPER_SNAKE code, e.g. TENANT_NOT_FOUND.", examples=["NOT_FOUND"])
    message: str = Field(description="What went wrong, for a person.")
    details: dict[str, Any] = Field(default_factory=dict, description="Machine-readable specifics.")
    request_id: str
    trace_id: str


class ErrorResponse(ApiModel):
    """The envelope of every failure."""

    error: ErrorBody


class PageQuery(ApiModel):
    """``limit`` and the opaque ``cursor`` of the previous page's ``next_cursor``."""

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(20, ge=1, le=100, description="Items per page.")
    cursor: str | None = Field(None, max_length=4096, description="next_cursor of the previous page.")


class Page(ApiModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(None, description="Pass as `cursor` to get the next page.")
    has_more: bool

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OrderCreate")


@_attrs_define
class OrderCreate:
    """
    Attributes:
        resource_id (str): The rack or cluster subscribed.
        plan (str):
        tags (list[str] | Unset):
    """

    resource_id: str
    plan: str
    tags: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        resource_id = self.resource_id

        plan = self.plan

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resource_id": resource_id,
                "plan": plan,
            }
        )
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resource_id = d.pop("resource_id")

        plan = d.pop("plan")

        tags = cast(list[str], d.pop("tags", UNSET))

        order_create = cls(
            resource_id=resource_id,
            plan=plan,
            tags=tags,
        )

        return order_create

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TeamInfo")


@_attrs_define
class TeamInfo:
    """
    Attributes:
        project_id (str):
        billing_acct_id (None | str | Unset):
    """

    project_id: str
    billing_acct_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        project_id = self.project_id

        billing_acct_id: None | str | Unset
        if isinstance(self.billing_acct_id, Unset):
            billing_acct_id = UNSET
        else:
            billing_acct_id = self.billing_acct_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "project_id": project_id,
            }
        )
        if billing_acct_id is not UNSET:
            field_dict["billing_acct_id"] = billing_acct_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        project_id = d.pop("project_id")

        def _parse_billing_acct_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_acct_id = _parse_billing_acct_id(d.pop("billing_acct_id", UNSET))

        team_info = cls(
            project_id=project_id,
            billing_acct_id=billing_acct_id,
        )

        team_info.additional_properties = d
        return team_info

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CloudStatistics")


@_attrs_define
class CloudStatistics:
    """What the credential can see (Concertim's ``/statistics``); null where the service is absent.

    Attributes:
        servers (int | None | Unset):
        stacks (int | None | Unset):
        users (int | None | Unset):
        projects (int | None | Unset):
        missing (list[str] | Unset):
    """

    servers: int | None | Unset = UNSET
    stacks: int | None | Unset = UNSET
    users: int | None | Unset = UNSET
    projects: int | None | Unset = UNSET
    missing: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        servers: int | None | Unset
        if isinstance(self.servers, Unset):
            servers = UNSET
        else:
            servers = self.servers

        stacks: int | None | Unset
        if isinstance(self.stacks, Unset):
            stacks = UNSET
        else:
            stacks = self.stacks

        users: int | None | Unset
        if isinstance(self.users, Unset):
            users = UNSET
        else:
            users = self.users

        projects: int | None | Unset
        if isinstance(self.projects, Unset):
            projects = UNSET
        else:
            projects = self.projects

        missing: list[str] | Unset = UNSET
        if not isinstance(self.missing, Unset):
            missing = self.missing

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if servers is not UNSET:
            field_dict["servers"] = servers
        if stacks is not UNSET:
            field_dict["stacks"] = stacks
        if users is not UNSET:
            field_dict["users"] = users
        if projects is not UNSET:
            field_dict["projects"] = projects
        if missing is not UNSET:
            field_dict["missing"] = missing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_servers(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        servers = _parse_servers(d.pop("servers", UNSET))

        def _parse_stacks(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        stacks = _parse_stacks(d.pop("stacks", UNSET))

        def _parse_users(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        users = _parse_users(d.pop("users", UNSET))

        def _parse_projects(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        projects = _parse_projects(d.pop("projects", UNSET))

        missing = cast(list[str], d.pop("missing", UNSET))

        cloud_statistics = cls(
            servers=servers,
            stacks=stacks,
            users=users,
            projects=projects,
            missing=missing,
        )

        cloud_statistics.additional_properties = d
        return cloud_statistics

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

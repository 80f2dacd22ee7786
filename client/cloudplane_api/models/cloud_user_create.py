from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CloudUserCreate")


@_attrs_define
class CloudUserCreate:
    """A user to create; without ``password`` one is generated and returned once.

    Attributes:
        name (str):
        display_name (None | str | Unset):
        email (None | str | Unset):
        password (None | str | Unset): Write-only; never returned or logged.
        default_project_id (None | str | Unset):
        enabled (bool | Unset):  Default: True.
    """

    name: str
    display_name: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    password: None | str | Unset = UNSET
    default_project_id: None | str | Unset = UNSET
    enabled: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        default_project_id: None | str | Unset
        if isinstance(self.default_project_id, Unset):
            default_project_id = UNSET
        else:
            default_project_id = self.default_project_id

        enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if email is not UNSET:
            field_dict["email"] = email
        if password is not UNSET:
            field_dict["password"] = password
        if default_project_id is not UNSET:
            field_dict["default_project_id"] = default_project_id
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        def _parse_default_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        default_project_id = _parse_default_project_id(
            d.pop("default_project_id", UNSET)
        )

        enabled = d.pop("enabled", UNSET)

        cloud_user_create = cls(
            name=name,
            display_name=display_name,
            email=email,
            password=password,
            default_project_id=default_project_id,
            enabled=enabled,
        )

        return cloud_user_create

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CloudEnv")


@_attrs_define
class CloudEnv:
    """Keystone credentials: ``username`` or ``user_id``, ``project_name`` or ``project_id`` (v3 password auth).

    Attributes:
        auth_url (str):
        password (str):
        username (None | str | Unset):
        user_id (None | str | Unset):
        project_name (None | str | Unset):
        project_id (None | str | Unset):
        user_domain_name (None | str | Unset):
        project_domain_name (None | str | Unset):
    """

    auth_url: str
    password: str
    username: None | str | Unset = UNSET
    user_id: None | str | Unset = UNSET
    project_name: None | str | Unset = UNSET
    project_id: None | str | Unset = UNSET
    user_domain_name: None | str | Unset = UNSET
    project_domain_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        auth_url = self.auth_url

        password = self.password

        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        project_name: None | str | Unset
        if isinstance(self.project_name, Unset):
            project_name = UNSET
        else:
            project_name = self.project_name

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        user_domain_name: None | str | Unset
        if isinstance(self.user_domain_name, Unset):
            user_domain_name = UNSET
        else:
            user_domain_name = self.user_domain_name

        project_domain_name: None | str | Unset
        if isinstance(self.project_domain_name, Unset):
            project_domain_name = UNSET
        else:
            project_domain_name = self.project_domain_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "auth_url": auth_url,
                "password": password,
            }
        )
        if username is not UNSET:
            field_dict["username"] = username
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if project_name is not UNSET:
            field_dict["project_name"] = project_name
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if user_domain_name is not UNSET:
            field_dict["user_domain_name"] = user_domain_name
        if project_domain_name is not UNSET:
            field_dict["project_domain_name"] = project_domain_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        auth_url = d.pop("auth_url")

        password = d.pop("password")

        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))

        def _parse_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_id = _parse_user_id(d.pop("user_id", UNSET))

        def _parse_project_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_name = _parse_project_name(d.pop("project_name", UNSET))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        def _parse_user_domain_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_domain_name = _parse_user_domain_name(d.pop("user_domain_name", UNSET))

        def _parse_project_domain_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_domain_name = _parse_project_domain_name(
            d.pop("project_domain_name", UNSET)
        )

        cloud_env = cls(
            auth_url=auth_url,
            password=password,
            username=username,
            user_id=user_id,
            project_name=project_name,
            project_id=project_id,
            user_domain_name=user_domain_name,
            project_domain_name=project_domain_name,
        )

        return cloud_env

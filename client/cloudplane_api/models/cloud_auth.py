from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CloudAuth")


@_attrs_define
class CloudAuth:
    """``auth`` of a clouds.yaml entry: a password (with ``username`` or ``user_id``) or an
    application credential (``application_credential_id`` and ``_secret``), scoped to a project
    by name (with its domain) or id.

        Attributes:
            auth_url (str):
            username (None | str | Unset):
            user_id (None | str | Unset):
            password (None | str | Unset): Write-only.
            application_credential_id (None | str | Unset):
            application_credential_name (None | str | Unset):
            application_credential_secret (None | str | Unset): Write-only.
            project_name (None | str | Unset):
            project_id (None | str | Unset):
            user_domain_name (None | str | Unset):
            user_domain_id (None | str | Unset):
            project_domain_name (None | str | Unset):
            project_domain_id (None | str | Unset):
    """

    auth_url: str
    username: None | str | Unset = UNSET
    user_id: None | str | Unset = UNSET
    password: None | str | Unset = UNSET
    application_credential_id: None | str | Unset = UNSET
    application_credential_name: None | str | Unset = UNSET
    application_credential_secret: None | str | Unset = UNSET
    project_name: None | str | Unset = UNSET
    project_id: None | str | Unset = UNSET
    user_domain_name: None | str | Unset = UNSET
    user_domain_id: None | str | Unset = UNSET
    project_domain_name: None | str | Unset = UNSET
    project_domain_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        auth_url = self.auth_url

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

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

        application_credential_id: None | str | Unset
        if isinstance(self.application_credential_id, Unset):
            application_credential_id = UNSET
        else:
            application_credential_id = self.application_credential_id

        application_credential_name: None | str | Unset
        if isinstance(self.application_credential_name, Unset):
            application_credential_name = UNSET
        else:
            application_credential_name = self.application_credential_name

        application_credential_secret: None | str | Unset
        if isinstance(self.application_credential_secret, Unset):
            application_credential_secret = UNSET
        else:
            application_credential_secret = self.application_credential_secret

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

        user_domain_id: None | str | Unset
        if isinstance(self.user_domain_id, Unset):
            user_domain_id = UNSET
        else:
            user_domain_id = self.user_domain_id

        project_domain_name: None | str | Unset
        if isinstance(self.project_domain_name, Unset):
            project_domain_name = UNSET
        else:
            project_domain_name = self.project_domain_name

        project_domain_id: None | str | Unset
        if isinstance(self.project_domain_id, Unset):
            project_domain_id = UNSET
        else:
            project_domain_id = self.project_domain_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "auth_url": auth_url,
            }
        )
        if username is not UNSET:
            field_dict["username"] = username
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if password is not UNSET:
            field_dict["password"] = password
        if application_credential_id is not UNSET:
            field_dict["application_credential_id"] = application_credential_id
        if application_credential_name is not UNSET:
            field_dict["application_credential_name"] = application_credential_name
        if application_credential_secret is not UNSET:
            field_dict["application_credential_secret"] = application_credential_secret
        if project_name is not UNSET:
            field_dict["project_name"] = project_name
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if user_domain_name is not UNSET:
            field_dict["user_domain_name"] = user_domain_name
        if user_domain_id is not UNSET:
            field_dict["user_domain_id"] = user_domain_id
        if project_domain_name is not UNSET:
            field_dict["project_domain_name"] = project_domain_name
        if project_domain_id is not UNSET:
            field_dict["project_domain_id"] = project_domain_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        auth_url = d.pop("auth_url")

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

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

        def _parse_application_credential_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        application_credential_id = _parse_application_credential_id(
            d.pop("application_credential_id", UNSET)
        )

        def _parse_application_credential_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        application_credential_name = _parse_application_credential_name(
            d.pop("application_credential_name", UNSET)
        )

        def _parse_application_credential_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        application_credential_secret = _parse_application_credential_secret(
            d.pop("application_credential_secret", UNSET)
        )

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

        def _parse_user_domain_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_domain_id = _parse_user_domain_id(d.pop("user_domain_id", UNSET))

        def _parse_project_domain_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_domain_name = _parse_project_domain_name(
            d.pop("project_domain_name", UNSET)
        )

        def _parse_project_domain_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_domain_id = _parse_project_domain_id(d.pop("project_domain_id", UNSET))

        cloud_auth = cls(
            auth_url=auth_url,
            username=username,
            user_id=user_id,
            password=password,
            application_credential_id=application_credential_id,
            application_credential_name=application_credential_name,
            application_credential_secret=application_credential_secret,
            project_name=project_name,
            project_id=project_id,
            user_domain_name=user_domain_name,
            user_domain_id=user_domain_id,
            project_domain_name=project_domain_name,
            project_domain_id=project_domain_id,
        )

        return cloud_auth

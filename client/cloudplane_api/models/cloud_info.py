from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cloud_info_auth_method import CloudInfoAuthMethod
from ..models.cloud_info_interface import CloudInfoInterface
from ..types import UNSET, Unset

T = TypeVar("T", bound="CloudInfo")


@_attrs_define
class CloudInfo:
    """A cloud's settings as shown: everything but the secrets.

    Attributes:
        auth_url (str):
        auth_method (CloudInfoAuthMethod):
        username (None | str | Unset):
        user_id (None | str | Unset):
        application_credential_id (None | str | Unset):
        project_name (None | str | Unset):
        project_id (None | str | Unset):
        user_domain_name (None | str | Unset):
        project_domain_name (None | str | Unset):
        region_name (None | str | Unset):
        interface (CloudInfoInterface | Unset):  Default: CloudInfoInterface.PUBLIC.
        verify (bool | Unset):  Default: True.
        cacert_set (bool | Unset):  Default: False.
    """

    auth_url: str
    auth_method: CloudInfoAuthMethod
    username: None | str | Unset = UNSET
    user_id: None | str | Unset = UNSET
    application_credential_id: None | str | Unset = UNSET
    project_name: None | str | Unset = UNSET
    project_id: None | str | Unset = UNSET
    user_domain_name: None | str | Unset = UNSET
    project_domain_name: None | str | Unset = UNSET
    region_name: None | str | Unset = UNSET
    interface: CloudInfoInterface | Unset = CloudInfoInterface.PUBLIC
    verify: bool | Unset = True
    cacert_set: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auth_url = self.auth_url

        auth_method = self.auth_method.value

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

        application_credential_id: None | str | Unset
        if isinstance(self.application_credential_id, Unset):
            application_credential_id = UNSET
        else:
            application_credential_id = self.application_credential_id

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

        region_name: None | str | Unset
        if isinstance(self.region_name, Unset):
            region_name = UNSET
        else:
            region_name = self.region_name

        interface: str | Unset = UNSET
        if not isinstance(self.interface, Unset):
            interface = self.interface.value

        verify = self.verify

        cacert_set = self.cacert_set

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "auth_url": auth_url,
                "auth_method": auth_method,
            }
        )
        if username is not UNSET:
            field_dict["username"] = username
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if application_credential_id is not UNSET:
            field_dict["application_credential_id"] = application_credential_id
        if project_name is not UNSET:
            field_dict["project_name"] = project_name
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if user_domain_name is not UNSET:
            field_dict["user_domain_name"] = user_domain_name
        if project_domain_name is not UNSET:
            field_dict["project_domain_name"] = project_domain_name
        if region_name is not UNSET:
            field_dict["region_name"] = region_name
        if interface is not UNSET:
            field_dict["interface"] = interface
        if verify is not UNSET:
            field_dict["verify"] = verify
        if cacert_set is not UNSET:
            field_dict["cacert_set"] = cacert_set

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        auth_url = d.pop("auth_url")

        auth_method = CloudInfoAuthMethod(d.pop("auth_method"))

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

        def _parse_application_credential_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        application_credential_id = _parse_application_credential_id(
            d.pop("application_credential_id", UNSET)
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

        def _parse_project_domain_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_domain_name = _parse_project_domain_name(
            d.pop("project_domain_name", UNSET)
        )

        def _parse_region_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region_name = _parse_region_name(d.pop("region_name", UNSET))

        _interface = d.pop("interface", UNSET)
        interface: CloudInfoInterface | Unset
        if isinstance(_interface, Unset):
            interface = UNSET
        else:
            interface = CloudInfoInterface(_interface)

        verify = d.pop("verify", UNSET)

        cacert_set = d.pop("cacert_set", UNSET)

        cloud_info = cls(
            auth_url=auth_url,
            auth_method=auth_method,
            username=username,
            user_id=user_id,
            application_credential_id=application_credential_id,
            project_name=project_name,
            project_id=project_id,
            user_domain_name=user_domain_name,
            project_domain_name=project_domain_name,
            region_name=region_name,
            interface=interface,
            verify=verify,
            cacert_set=cacert_set,
        )

        cloud_info.additional_properties = d
        return cloud_info

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.credentials_info import CredentialsInfo
    from ..models.server_labels import ServerLabels


T = TypeVar("T", bound="Server")


@_attrs_define
class Server:
    """
    Attributes:
        id (str):
        name (str):
        api_url (str):
        namespace (str):
        labels (ServerLabels):
        credentials (CredentialsInfo):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        context (None | str | Unset):
    """

    id: str
    name: str
    api_url: str
    namespace: str
    labels: ServerLabels
    credentials: CredentialsInfo
    created_at: datetime.datetime
    updated_at: datetime.datetime
    context: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        api_url = self.api_url

        namespace = self.namespace

        labels = self.labels.to_dict()

        credentials = self.credentials.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        context: None | str | Unset
        if isinstance(self.context, Unset):
            context = UNSET
        else:
            context = self.context

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "api_url": api_url,
                "namespace": namespace,
                "labels": labels,
                "credentials": credentials,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if context is not UNSET:
            field_dict["context"] = context

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.credentials_info import CredentialsInfo  # noqa: PLC0415
        from ..models.server_labels import ServerLabels  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        api_url = d.pop("api_url")

        namespace = d.pop("namespace")

        labels = ServerLabels.from_dict(d.pop("labels"))

        credentials = CredentialsInfo.from_dict(d.pop("credentials"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_context(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        context = _parse_context(d.pop("context", UNSET))

        server = cls(
            id=id,
            name=name,
            api_url=api_url,
            namespace=namespace,
            labels=labels,
            credentials=credentials,
            created_at=created_at,
            updated_at=updated_at,
            context=context,
        )

        server.additional_properties = d
        return server

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

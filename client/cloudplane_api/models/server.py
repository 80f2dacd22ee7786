from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.server_kind import ServerKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cloud_info import CloudInfo
    from ..models.credentials_info import CredentialsInfo
    from ..models.server_labels import ServerLabels


T = TypeVar("T", bound="Server")


@_attrs_define
class Server:
    """
    Attributes:
        id (str):
        name (str):
        api_url (str): The cluster's API URL, or the cloud's Keystone auth_url.
        labels (ServerLabels):
        credentials (CredentialsInfo):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        kind (ServerKind | Unset): kubernetes (a cluster) or openstack (a cloud). Default: ServerKind.KUBERNETES.
        context (None | str | Unset):
        namespace (None | str | Unset): The namespace Cloudplane uses (kubernetes servers).
        cloud (CloudInfo | None | Unset): An OpenStack cloud's settings (its secrets never shown).
    """

    id: str
    name: str
    api_url: str
    labels: ServerLabels
    credentials: CredentialsInfo
    created_at: datetime.datetime
    updated_at: datetime.datetime
    kind: ServerKind | Unset = ServerKind.KUBERNETES
    context: None | str | Unset = UNSET
    namespace: None | str | Unset = UNSET
    cloud: CloudInfo | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_info import CloudInfo  # noqa: PLC0415

        id = self.id

        name = self.name

        api_url = self.api_url

        labels = self.labels.to_dict()

        credentials = self.credentials.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        context: None | str | Unset
        if isinstance(self.context, Unset):
            context = UNSET
        else:
            context = self.context

        namespace: None | str | Unset
        if isinstance(self.namespace, Unset):
            namespace = UNSET
        else:
            namespace = self.namespace

        cloud: dict[str, Any] | None | Unset
        if isinstance(self.cloud, Unset):
            cloud = UNSET
        elif isinstance(self.cloud, CloudInfo):
            cloud = self.cloud.to_dict()
        else:
            cloud = self.cloud

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "api_url": api_url,
                "labels": labels,
                "credentials": credentials,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if context is not UNSET:
            field_dict["context"] = context
        if namespace is not UNSET:
            field_dict["namespace"] = namespace
        if cloud is not UNSET:
            field_dict["cloud"] = cloud

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_info import CloudInfo  # noqa: PLC0415
        from ..models.credentials_info import CredentialsInfo  # noqa: PLC0415
        from ..models.server_labels import ServerLabels  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        api_url = d.pop("api_url")

        labels = ServerLabels.from_dict(d.pop("labels"))

        credentials = CredentialsInfo.from_dict(d.pop("credentials"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _kind = d.pop("kind", UNSET)
        kind: ServerKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ServerKind(_kind)

        def _parse_context(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        context = _parse_context(d.pop("context", UNSET))

        def _parse_namespace(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        namespace = _parse_namespace(d.pop("namespace", UNSET))

        def _parse_cloud(data: object) -> CloudInfo | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cloud_type_0 = CloudInfo.from_dict(data)

                return cloud_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CloudInfo | None | Unset, data)

        cloud = _parse_cloud(d.pop("cloud", UNSET))

        server = cls(
            id=id,
            name=name,
            api_url=api_url,
            labels=labels,
            credentials=credentials,
            created_at=created_at,
            updated_at=updated_at,
            kind=kind,
            context=context,
            namespace=namespace,
            cloud=cloud,
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

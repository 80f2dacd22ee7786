from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.exported_server_kind import ExportedServerKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cloud_info import CloudInfo
    from ..models.exported_server_labels import ExportedServerLabels
    from ..models.sealed_credentials import SealedCredentials


T = TypeVar("T", bound="ExportedServer")


@_attrs_define
class ExportedServer:
    """
    Attributes:
        id (str):
        name (str):
        api_url (str):
        kind (ExportedServerKind | Unset):  Default: ExportedServerKind.KUBERNETES.
        context (None | str | Unset):
        namespace (None | str | Unset):
        cloud (CloudInfo | None | Unset): An OpenStack cloud's public settings (kind openstack).
        labels (ExportedServerLabels | Unset):
        credentials (None | SealedCredentials | Unset): Absent: not in the document (an import keeps what is stored).
        created_at (datetime.datetime | None | Unset):
        updated_at (datetime.datetime | None | Unset):
    """

    id: str
    name: str
    api_url: str
    kind: ExportedServerKind | Unset = ExportedServerKind.KUBERNETES
    context: None | str | Unset = UNSET
    namespace: None | str | Unset = UNSET
    cloud: CloudInfo | None | Unset = UNSET
    labels: ExportedServerLabels | Unset = UNSET
    credentials: None | SealedCredentials | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_info import CloudInfo  # noqa: PLC0415
        from ..models.sealed_credentials import SealedCredentials  # noqa: PLC0415

        id = self.id

        name = self.name

        api_url = self.api_url

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

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        credentials: dict[str, Any] | None | Unset
        if isinstance(self.credentials, Unset):
            credentials = UNSET
        elif isinstance(self.credentials, SealedCredentials):
            credentials = self.credentials.to_dict()
        else:
            credentials = self.credentials

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "api_url": api_url,
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
        if labels is not UNSET:
            field_dict["labels"] = labels
        if credentials is not UNSET:
            field_dict["credentials"] = credentials
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_info import CloudInfo  # noqa: PLC0415
        from ..models.exported_server_labels import ExportedServerLabels  # noqa: PLC0415
        from ..models.sealed_credentials import SealedCredentials  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        api_url = d.pop("api_url")

        _kind = d.pop("kind", UNSET)
        kind: ExportedServerKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ExportedServerKind(_kind)

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

        _labels = d.pop("labels", UNSET)
        labels: ExportedServerLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = ExportedServerLabels.from_dict(_labels)

        def _parse_credentials(data: object) -> None | SealedCredentials | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                credentials_type_0 = SealedCredentials.from_dict(data)

                return credentials_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SealedCredentials | Unset, data)

        credentials = _parse_credentials(d.pop("credentials", UNSET))

        def _parse_created_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        exported_server = cls(
            id=id,
            name=name,
            api_url=api_url,
            kind=kind,
            context=context,
            namespace=namespace,
            cloud=cloud,
            labels=labels,
            credentials=credentials,
            created_at=created_at,
            updated_at=updated_at,
        )

        return exported_server

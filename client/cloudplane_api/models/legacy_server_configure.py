from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cloud_config import CloudConfig
    from ..models.legacy_server_configure_labels_type_0 import (
        LegacyServerConfigureLabelsType0,
    )


T = TypeVar("T", bound="LegacyServerConfigure")


@_attrs_define
class LegacyServerConfigure:
    """``POST /api/server-config/configure``: update the server named by ``id`` (or, without ``id``, the
    one with this ``name``), else create it. Updating keeps what is left out (credentials included);
    creating needs ``name`` and ``kubeconfig`` or ``api_url``.

        Attributes:
            name (None | str | Unset):
            cloud (CloudConfig | None | Unset): A cloud's new clouds.yaml entry (openstack servers).
            kubeconfig (None | str | Unset): Kubeconfig YAML text (write-only, encrypted at rest).
            api_url (None | str | Unset): Kubernetes API URL.
            token (None | str | Unset): Bearer token (write-only, encrypted at rest).
            ca_bundle (None | str | Unset): PEM certificates to trust for the API's TLS.
            context (None | str | Unset): Kubeconfig context (default: its current one).
            namespace (None | str | Unset): Namespace Cloudplane uses there (default: one per tenant).
            labels (LegacyServerConfigureLabelsType0 | None | Unset):
            id (None | str | Unset): An existing server to update.
    """

    name: None | str | Unset = UNSET
    cloud: CloudConfig | None | Unset = UNSET
    kubeconfig: None | str | Unset = UNSET
    api_url: None | str | Unset = UNSET
    token: None | str | Unset = UNSET
    ca_bundle: None | str | Unset = UNSET
    context: None | str | Unset = UNSET
    namespace: None | str | Unset = UNSET
    labels: LegacyServerConfigureLabelsType0 | None | Unset = UNSET
    id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_config import CloudConfig  # noqa: PLC0415
        from ..models.legacy_server_configure_labels_type_0 import (
            LegacyServerConfigureLabelsType0,  # noqa: PLC0415
        )

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        cloud: dict[str, Any] | None | Unset
        if isinstance(self.cloud, Unset):
            cloud = UNSET
        elif isinstance(self.cloud, CloudConfig):
            cloud = self.cloud.to_dict()
        else:
            cloud = self.cloud

        kubeconfig: None | str | Unset
        if isinstance(self.kubeconfig, Unset):
            kubeconfig = UNSET
        else:
            kubeconfig = self.kubeconfig

        api_url: None | str | Unset
        if isinstance(self.api_url, Unset):
            api_url = UNSET
        else:
            api_url = self.api_url

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        ca_bundle: None | str | Unset
        if isinstance(self.ca_bundle, Unset):
            ca_bundle = UNSET
        else:
            ca_bundle = self.ca_bundle

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

        labels: dict[str, Any] | None | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        elif isinstance(self.labels, LegacyServerConfigureLabelsType0):
            labels = self.labels.to_dict()
        else:
            labels = self.labels

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if cloud is not UNSET:
            field_dict["cloud"] = cloud
        if kubeconfig is not UNSET:
            field_dict["kubeconfig"] = kubeconfig
        if api_url is not UNSET:
            field_dict["api_url"] = api_url
        if token is not UNSET:
            field_dict["token"] = token
        if ca_bundle is not UNSET:
            field_dict["ca_bundle"] = ca_bundle
        if context is not UNSET:
            field_dict["context"] = context
        if namespace is not UNSET:
            field_dict["namespace"] = namespace
        if labels is not UNSET:
            field_dict["labels"] = labels
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_config import CloudConfig  # noqa: PLC0415
        from ..models.legacy_server_configure_labels_type_0 import (
            LegacyServerConfigureLabelsType0,  # noqa: PLC0415
        )

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_cloud(data: object) -> CloudConfig | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cloud_type_0 = CloudConfig.from_dict(data)

                return cloud_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CloudConfig | None | Unset, data)

        cloud = _parse_cloud(d.pop("cloud", UNSET))

        def _parse_kubeconfig(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kubeconfig = _parse_kubeconfig(d.pop("kubeconfig", UNSET))

        def _parse_api_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_url = _parse_api_url(d.pop("api_url", UNSET))

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        def _parse_ca_bundle(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ca_bundle = _parse_ca_bundle(d.pop("ca_bundle", UNSET))

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

        def _parse_labels(
            data: object,
        ) -> LegacyServerConfigureLabelsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                labels_type_0 = LegacyServerConfigureLabelsType0.from_dict(data)

                return labels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegacyServerConfigureLabelsType0 | None | Unset, data)

        labels = _parse_labels(d.pop("labels", UNSET))

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        legacy_server_configure = cls(
            name=name,
            cloud=cloud,
            kubeconfig=kubeconfig,
            api_url=api_url,
            token=token,
            ca_bundle=ca_bundle,
            context=context,
            namespace=namespace,
            labels=labels,
            id=id,
        )

        return legacy_server_configure

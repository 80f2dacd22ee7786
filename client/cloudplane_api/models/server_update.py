from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.server_update_kind import ServerUpdateKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cloud_config import CloudConfig
    from ..models.server_update_labels import ServerUpdateLabels


T = TypeVar("T", bound="ServerUpdate")


@_attrs_define
class ServerUpdate:
    """PUT: the whole server, credentials included (what is left out is gone).

    Attributes:
        name (str):
        kind (ServerUpdateKind | Unset): kubernetes (default) or openstack. Default: ServerUpdateKind.KUBERNETES.
        cloud (CloudConfig | None | Unset): An OpenStack cloud: one clouds.yaml entry (kind openstack; its secrets
            write-only).
        kubeconfig (None | str | Unset): Kubeconfig YAML text (write-only, encrypted at rest).
        api_url (None | str | Unset): Kubernetes API URL.
        token (None | str | Unset): Bearer token (write-only, encrypted at rest).
        ca_bundle (None | str | Unset): PEM certificates to trust for the API's TLS.
        context (None | str | Unset): Kubeconfig context (default: its current one).
        namespace (None | str | Unset): Namespace Cloudplane uses there (default: one per tenant).
        labels (ServerUpdateLabels | Unset):
    """

    name: str
    kind: ServerUpdateKind | Unset = ServerUpdateKind.KUBERNETES
    cloud: CloudConfig | None | Unset = UNSET
    kubeconfig: None | str | Unset = UNSET
    api_url: None | str | Unset = UNSET
    token: None | str | Unset = UNSET
    ca_bundle: None | str | Unset = UNSET
    context: None | str | Unset = UNSET
    namespace: None | str | Unset = UNSET
    labels: ServerUpdateLabels | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_config import CloudConfig  # noqa: PLC0415

        name = self.name

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

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

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_config import CloudConfig  # noqa: PLC0415
        from ..models.server_update_labels import ServerUpdateLabels  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        _kind = d.pop("kind", UNSET)
        kind: ServerUpdateKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ServerUpdateKind(_kind)

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

        _labels = d.pop("labels", UNSET)
        labels: ServerUpdateLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = ServerUpdateLabels.from_dict(_labels)

        server_update = cls(
            name=name,
            kind=kind,
            cloud=cloud,
            kubeconfig=kubeconfig,
            api_url=api_url,
            token=token,
            ca_bundle=ca_bundle,
            context=context,
            namespace=namespace,
            labels=labels,
        )

        return server_update

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pod_status import PodStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pod_env import PodEnv
    from ..models.pod_labels import PodLabels
    from ..models.pod_resources import PodResources


T = TypeVar("T", bound="Pod")


@_attrs_define
class Pod:
    """
    Attributes:
        id (str): Opaque and stable, also across a replacement.
        server_id (str):
        name (str):
        namespace (str):
        image (str):
        command (list[str]):
        env (PodEnv):
        resources (PodResources): What a pod asks for; requests and limits are set equal, so the scheduler's view is
            exact.
        labels (PodLabels): The pod's own labels (Cloudplane's are not shown).
        status (PodStatus):
        template_id (None | str | Unset):
        phase (None | str | Unset): Kubernetes phase, as reported.
        node_name (None | str | Unset):
        created_at (datetime.datetime | None | Unset):
    """

    id: str
    server_id: str
    name: str
    namespace: str
    image: str
    command: list[str]
    env: PodEnv
    resources: PodResources
    labels: PodLabels
    status: PodStatus
    template_id: None | str | Unset = UNSET
    phase: None | str | Unset = UNSET
    node_name: None | str | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        server_id = self.server_id

        name = self.name

        namespace = self.namespace

        image = self.image

        command = self.command

        env = self.env.to_dict()

        resources = self.resources.to_dict()

        labels = self.labels.to_dict()

        status = self.status.value

        template_id: None | str | Unset
        if isinstance(self.template_id, Unset):
            template_id = UNSET
        else:
            template_id = self.template_id

        phase: None | str | Unset
        if isinstance(self.phase, Unset):
            phase = UNSET
        else:
            phase = self.phase

        node_name: None | str | Unset
        if isinstance(self.node_name, Unset):
            node_name = UNSET
        else:
            node_name = self.node_name

        created_at: None | str | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        elif isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "server_id": server_id,
                "name": name,
                "namespace": namespace,
                "image": image,
                "command": command,
                "env": env,
                "resources": resources,
                "labels": labels,
                "status": status,
            }
        )
        if template_id is not UNSET:
            field_dict["template_id"] = template_id
        if phase is not UNSET:
            field_dict["phase"] = phase
        if node_name is not UNSET:
            field_dict["node_name"] = node_name
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pod_env import PodEnv  # noqa: PLC0415
        from ..models.pod_labels import PodLabels  # noqa: PLC0415
        from ..models.pod_resources import PodResources  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        server_id = d.pop("server_id")

        name = d.pop("name")

        namespace = d.pop("namespace")

        image = d.pop("image")

        command = cast(list[str], d.pop("command"))

        env = PodEnv.from_dict(d.pop("env"))

        resources = PodResources.from_dict(d.pop("resources"))

        labels = PodLabels.from_dict(d.pop("labels"))

        status = PodStatus(d.pop("status"))

        def _parse_template_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template_id = _parse_template_id(d.pop("template_id", UNSET))

        def _parse_phase(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phase = _parse_phase(d.pop("phase", UNSET))

        def _parse_node_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node_name = _parse_node_name(d.pop("node_name", UNSET))

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

        pod = cls(
            id=id,
            server_id=server_id,
            name=name,
            namespace=namespace,
            image=image,
            command=command,
            env=env,
            resources=resources,
            labels=labels,
            status=status,
            template_id=template_id,
            phase=phase,
            node_name=node_name,
            created_at=created_at,
        )

        pod.additional_properties = d
        return pod

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pod_create_env_type_0 import PodCreateEnvType0
    from ..models.pod_create_labels_type_0 import PodCreateLabelsType0
    from ..models.pod_resources import PodResources


T = TypeVar("T", bound="PodCreate")


@_attrs_define
class PodCreate:
    """Create a pod; with ``template_id`` the template is the start and given fields override it.

    Attributes:
        server_id (str): A server id, or "auto" to pick one.
        name (str): Kubernetes pod name (DNS-1123 label).
        image (None | str | Unset):
        command (list[str] | None | Unset):
        env (None | PodCreateEnvType0 | Unset):
        resources (None | PodResources | Unset):
        labels (None | PodCreateLabelsType0 | Unset):
        template_id (None | str | Unset):
    """

    server_id: str
    name: str
    image: None | str | Unset = UNSET
    command: list[str] | None | Unset = UNSET
    env: None | PodCreateEnvType0 | Unset = UNSET
    resources: None | PodResources | Unset = UNSET
    labels: None | PodCreateLabelsType0 | Unset = UNSET
    template_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.pod_create_env_type_0 import PodCreateEnvType0  # noqa: PLC0415
        from ..models.pod_create_labels_type_0 import PodCreateLabelsType0  # noqa: PLC0415
        from ..models.pod_resources import PodResources  # noqa: PLC0415

        server_id = self.server_id

        name = self.name

        image: None | str | Unset
        if isinstance(self.image, Unset):
            image = UNSET
        else:
            image = self.image

        command: list[str] | None | Unset
        if isinstance(self.command, Unset):
            command = UNSET
        elif isinstance(self.command, list):
            command = self.command

        else:
            command = self.command

        env: dict[str, Any] | None | Unset
        if isinstance(self.env, Unset):
            env = UNSET
        elif isinstance(self.env, PodCreateEnvType0):
            env = self.env.to_dict()
        else:
            env = self.env

        resources: dict[str, Any] | None | Unset
        if isinstance(self.resources, Unset):
            resources = UNSET
        elif isinstance(self.resources, PodResources):
            resources = self.resources.to_dict()
        else:
            resources = self.resources

        labels: dict[str, Any] | None | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        elif isinstance(self.labels, PodCreateLabelsType0):
            labels = self.labels.to_dict()
        else:
            labels = self.labels

        template_id: None | str | Unset
        if isinstance(self.template_id, Unset):
            template_id = UNSET
        else:
            template_id = self.template_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "server_id": server_id,
                "name": name,
            }
        )
        if image is not UNSET:
            field_dict["image"] = image
        if command is not UNSET:
            field_dict["command"] = command
        if env is not UNSET:
            field_dict["env"] = env
        if resources is not UNSET:
            field_dict["resources"] = resources
        if labels is not UNSET:
            field_dict["labels"] = labels
        if template_id is not UNSET:
            field_dict["template_id"] = template_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pod_create_env_type_0 import PodCreateEnvType0  # noqa: PLC0415
        from ..models.pod_create_labels_type_0 import PodCreateLabelsType0  # noqa: PLC0415
        from ..models.pod_resources import PodResources  # noqa: PLC0415

        d = dict(src_dict)
        server_id = d.pop("server_id")

        name = d.pop("name")

        def _parse_image(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image = _parse_image(d.pop("image", UNSET))

        def _parse_command(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                command_type_0 = cast(list[str], data)

                return command_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        command = _parse_command(d.pop("command", UNSET))

        def _parse_env(data: object) -> None | PodCreateEnvType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                env_type_0 = PodCreateEnvType0.from_dict(data)

                return env_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PodCreateEnvType0 | Unset, data)

        env = _parse_env(d.pop("env", UNSET))

        def _parse_resources(data: object) -> None | PodResources | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                resources_type_0 = PodResources.from_dict(data)

                return resources_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PodResources | Unset, data)

        resources = _parse_resources(d.pop("resources", UNSET))

        def _parse_labels(data: object) -> None | PodCreateLabelsType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                labels_type_0 = PodCreateLabelsType0.from_dict(data)

                return labels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PodCreateLabelsType0 | Unset, data)

        labels = _parse_labels(d.pop("labels", UNSET))

        def _parse_template_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template_id = _parse_template_id(d.pop("template_id", UNSET))

        pod_create = cls(
            server_id=server_id,
            name=name,
            image=image,
            command=command,
            env=env,
            resources=resources,
            labels=labels,
            template_id=template_id,
        )

        return pod_create

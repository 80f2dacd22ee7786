from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legacy_pod_create_env_type_0 import LegacyPodCreateEnvType0
    from ..models.legacy_pod_create_labels_type_0 import LegacyPodCreateLabelsType0
    from ..models.pod_resources import PodResources


T = TypeVar("T", bound="LegacyPodCreate")


@_attrs_define
class LegacyPodCreate:
    """``POST /api/k8s/pods`` with the seed's fields; ``image`` is optional (see docs/compat.md).

    Attributes:
        resources (PodResources): What a pod asks for; requests and limits are set equal, so the scheduler's view is
            exact.
        server_id (str): A server id, or "auto".
        name (str):
        image (None | str | Unset):
        command (list[str] | None | Unset):
        env (LegacyPodCreateEnvType0 | None | Unset):
        labels (LegacyPodCreateLabelsType0 | None | Unset):
    """

    resources: PodResources
    server_id: str
    name: str
    image: None | str | Unset = UNSET
    command: list[str] | None | Unset = UNSET
    env: LegacyPodCreateEnvType0 | None | Unset = UNSET
    labels: LegacyPodCreateLabelsType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.legacy_pod_create_env_type_0 import LegacyPodCreateEnvType0  # noqa: PLC0415
        from ..models.legacy_pod_create_labels_type_0 import LegacyPodCreateLabelsType0  # noqa: PLC0415

        resources = self.resources.to_dict()

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
        elif isinstance(self.env, LegacyPodCreateEnvType0):
            env = self.env.to_dict()
        else:
            env = self.env

        labels: dict[str, Any] | None | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        elif isinstance(self.labels, LegacyPodCreateLabelsType0):
            labels = self.labels.to_dict()
        else:
            labels = self.labels

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resources": resources,
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
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legacy_pod_create_env_type_0 import LegacyPodCreateEnvType0  # noqa: PLC0415
        from ..models.legacy_pod_create_labels_type_0 import LegacyPodCreateLabelsType0  # noqa: PLC0415
        from ..models.pod_resources import PodResources  # noqa: PLC0415

        d = dict(src_dict)
        resources = PodResources.from_dict(d.pop("resources"))

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

        def _parse_env(data: object) -> LegacyPodCreateEnvType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                env_type_0 = LegacyPodCreateEnvType0.from_dict(data)

                return env_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegacyPodCreateEnvType0 | None | Unset, data)

        env = _parse_env(d.pop("env", UNSET))

        def _parse_labels(data: object) -> LegacyPodCreateLabelsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                labels_type_0 = LegacyPodCreateLabelsType0.from_dict(data)

                return labels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegacyPodCreateLabelsType0 | None | Unset, data)

        labels = _parse_labels(d.pop("labels", UNSET))

        legacy_pod_create = cls(
            resources=resources,
            server_id=server_id,
            name=name,
            image=image,
            command=command,
            env=env,
            labels=labels,
        )

        return legacy_pod_create

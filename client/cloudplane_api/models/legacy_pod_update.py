from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legacy_pod_update_env_type_0 import LegacyPodUpdateEnvType0
    from ..models.legacy_pod_update_labels_type_0 import LegacyPodUpdateLabelsType0
    from ..models.pod_resources import PodResources


T = TypeVar("T", bound="LegacyPodUpdate")


@_attrs_define
class LegacyPodUpdate:
    """``PUT /api/k8s/pods/{id}``: fields given replace the pod's (the pod is replaced at once).

    Attributes:
        image (None | str | Unset):
        command (list[str] | None | Unset):
        env (LegacyPodUpdateEnvType0 | None | Unset):
        resources (None | PodResources | Unset):
        labels (LegacyPodUpdateLabelsType0 | None | Unset):
    """

    image: None | str | Unset = UNSET
    command: list[str] | None | Unset = UNSET
    env: LegacyPodUpdateEnvType0 | None | Unset = UNSET
    resources: None | PodResources | Unset = UNSET
    labels: LegacyPodUpdateLabelsType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.legacy_pod_update_env_type_0 import LegacyPodUpdateEnvType0  # noqa: PLC0415
        from ..models.legacy_pod_update_labels_type_0 import LegacyPodUpdateLabelsType0  # noqa: PLC0415
        from ..models.pod_resources import PodResources  # noqa: PLC0415

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
        elif isinstance(self.env, LegacyPodUpdateEnvType0):
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
        elif isinstance(self.labels, LegacyPodUpdateLabelsType0):
            labels = self.labels.to_dict()
        else:
            labels = self.labels

        field_dict: dict[str, Any] = {}

        field_dict.update({})
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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legacy_pod_update_env_type_0 import LegacyPodUpdateEnvType0  # noqa: PLC0415
        from ..models.legacy_pod_update_labels_type_0 import LegacyPodUpdateLabelsType0  # noqa: PLC0415
        from ..models.pod_resources import PodResources  # noqa: PLC0415

        d = dict(src_dict)

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

        def _parse_env(data: object) -> LegacyPodUpdateEnvType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                env_type_0 = LegacyPodUpdateEnvType0.from_dict(data)

                return env_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegacyPodUpdateEnvType0 | None | Unset, data)

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

        def _parse_labels(data: object) -> LegacyPodUpdateLabelsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                labels_type_0 = LegacyPodUpdateLabelsType0.from_dict(data)

                return labels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegacyPodUpdateLabelsType0 | None | Unset, data)

        labels = _parse_labels(d.pop("labels", UNSET))

        legacy_pod_update = cls(
            image=image,
            command=command,
            env=env,
            resources=resources,
            labels=labels,
        )

        return legacy_pod_update

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pod_resources import PodResources
    from ..models.template_body_env import TemplateBodyEnv
    from ..models.template_body_labels import TemplateBodyLabels


T = TypeVar("T", bound="TemplateBody")


@_attrs_define
class TemplateBody:
    """A template's content: everything a pod needs but its name and server.

    Attributes:
        name (str):
        image (str):
        description (None | str | Unset):
        command (list[str] | Unset):
        env (TemplateBodyEnv | Unset):
        resources (PodResources | Unset): What a pod asks for; requests and limits are set equal, so the scheduler's
            view is exact.
        labels (TemplateBodyLabels | Unset):
    """

    name: str
    image: str
    description: None | str | Unset = UNSET
    command: list[str] | Unset = UNSET
    env: TemplateBodyEnv | Unset = UNSET
    resources: PodResources | Unset = UNSET
    labels: TemplateBodyLabels | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        image = self.image

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        command: list[str] | Unset = UNSET
        if not isinstance(self.command, Unset):
            command = self.command

        env: dict[str, Any] | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = self.env.to_dict()

        resources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.resources, Unset):
            resources = self.resources.to_dict()

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "image": image,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
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
        from ..models.pod_resources import PodResources  # noqa: PLC0415
        from ..models.template_body_env import TemplateBodyEnv  # noqa: PLC0415
        from ..models.template_body_labels import TemplateBodyLabels  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        image = d.pop("image")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        command = cast(list[str], d.pop("command", UNSET))

        _env = d.pop("env", UNSET)
        env: TemplateBodyEnv | Unset
        if isinstance(_env, Unset):
            env = UNSET
        else:
            env = TemplateBodyEnv.from_dict(_env)

        _resources = d.pop("resources", UNSET)
        resources: PodResources | Unset
        if isinstance(_resources, Unset):
            resources = UNSET
        else:
            resources = PodResources.from_dict(_resources)

        _labels = d.pop("labels", UNSET)
        labels: TemplateBodyLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = TemplateBodyLabels.from_dict(_labels)

        template_body = cls(
            name=name,
            image=image,
            description=description,
            command=command,
            env=env,
            resources=resources,
            labels=labels,
        )

        return template_body

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.exported_template_env import ExportedTemplateEnv
    from ..models.exported_template_labels import ExportedTemplateLabels
    from ..models.pod_resources import PodResources


T = TypeVar("T", bound="ExportedTemplate")


@_attrs_define
class ExportedTemplate:
    """
    Attributes:
        name (str):
        image (str):
        id (str):
        description (None | str | Unset):
        command (list[str] | Unset):
        env (ExportedTemplateEnv | Unset):
        resources (PodResources | Unset): What a pod asks for; requests and limits are set equal, so the scheduler's
            view is exact.
        labels (ExportedTemplateLabels | Unset):
        created_at (datetime.datetime | None | Unset):
        updated_at (datetime.datetime | None | Unset):
    """

    name: str
    image: str
    id: str
    description: None | str | Unset = UNSET
    command: list[str] | Unset = UNSET
    env: ExportedTemplateEnv | Unset = UNSET
    resources: PodResources | Unset = UNSET
    labels: ExportedTemplateLabels | Unset = UNSET
    created_at: datetime.datetime | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        image = self.image

        id = self.id

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
                "name": name,
                "image": image,
                "id": id,
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
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.exported_template_env import ExportedTemplateEnv  # noqa: PLC0415
        from ..models.exported_template_labels import ExportedTemplateLabels  # noqa: PLC0415
        from ..models.pod_resources import PodResources  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        image = d.pop("image")

        id = d.pop("id")

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        command = cast(list[str], d.pop("command", UNSET))

        _env = d.pop("env", UNSET)
        env: ExportedTemplateEnv | Unset
        if isinstance(_env, Unset):
            env = UNSET
        else:
            env = ExportedTemplateEnv.from_dict(_env)

        _resources = d.pop("resources", UNSET)
        resources: PodResources | Unset
        if isinstance(_resources, Unset):
            resources = UNSET
        else:
            resources = PodResources.from_dict(_resources)

        _labels = d.pop("labels", UNSET)
        labels: ExportedTemplateLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = ExportedTemplateLabels.from_dict(_labels)

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

        exported_template = cls(
            name=name,
            image=image,
            id=id,
            description=description,
            command=command,
            env=env,
            resources=resources,
            labels=labels,
            created_at=created_at,
            updated_at=updated_at,
        )

        return exported_template

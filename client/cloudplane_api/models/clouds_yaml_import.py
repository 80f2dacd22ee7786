from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.clouds_yaml_import_labels import CloudsYamlImportLabels


T = TypeVar("T", bound="CloudsYamlImport")


@_attrs_define
class CloudsYamlImport:
    """Register the clouds of a clouds.yaml at once, each a server named after its cloud.

    Attributes:
        clouds_yaml (str): The clouds.yaml text (secrets in it).
        clouds (list[str] | None | Unset): Only these clouds of the file (default: all of them).
        labels (CloudsYamlImportLabels | Unset):
    """

    clouds_yaml: str
    clouds: list[str] | None | Unset = UNSET
    labels: CloudsYamlImportLabels | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        clouds_yaml = self.clouds_yaml

        clouds: list[str] | None | Unset
        if isinstance(self.clouds, Unset):
            clouds = UNSET
        elif isinstance(self.clouds, list):
            clouds = self.clouds

        else:
            clouds = self.clouds

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "clouds_yaml": clouds_yaml,
            }
        )
        if clouds is not UNSET:
            field_dict["clouds"] = clouds
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.clouds_yaml_import_labels import CloudsYamlImportLabels  # noqa: PLC0415

        d = dict(src_dict)
        clouds_yaml = d.pop("clouds_yaml")

        def _parse_clouds(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                clouds_type_0 = cast(list[str], data)

                return clouds_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        clouds = _parse_clouds(d.pop("clouds", UNSET))

        _labels = d.pop("labels", UNSET)
        labels: CloudsYamlImportLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = CloudsYamlImportLabels.from_dict(_labels)

        clouds_yaml_import = cls(
            clouds_yaml=clouds_yaml,
            clouds=clouds,
            labels=labels,
        )

        return clouds_yaml_import

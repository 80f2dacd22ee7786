from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PodResources")


@_attrs_define
class PodResources:
    """What a pod asks for; requests and limits are set equal, so the scheduler's view is exact.

    Attributes:
        gpus (int | Unset): nvidia.com/gpu Default: 0.
        cpu (float | Unset): cores Default: 1.0.
        ram_gb (float | Unset): memory in GiB Default: 1.0.
        storage_gb (float | Unset): ephemeral-storage in GiB Default: 0.0.
    """

    gpus: int | Unset = 0
    cpu: float | Unset = 1.0
    ram_gb: float | Unset = 1.0
    storage_gb: float | Unset = 0.0

    def to_dict(self) -> dict[str, Any]:
        gpus = self.gpus

        cpu = self.cpu

        ram_gb = self.ram_gb

        storage_gb = self.storage_gb

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if gpus is not UNSET:
            field_dict["gpus"] = gpus
        if cpu is not UNSET:
            field_dict["cpu"] = cpu
        if ram_gb is not UNSET:
            field_dict["ram_gb"] = ram_gb
        if storage_gb is not UNSET:
            field_dict["storage_gb"] = storage_gb

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gpus = d.pop("gpus", UNSET)

        cpu = d.pop("cpu", UNSET)

        ram_gb = d.pop("ram_gb", UNSET)

        storage_gb = d.pop("storage_gb", UNSET)

        pod_resources = cls(
            gpus=gpus,
            cpu=cpu,
            ram_gb=ram_gb,
            storage_gb=storage_gb,
        )

        return pod_resources

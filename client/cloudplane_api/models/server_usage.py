from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.server_usage_resources import ServerUsageResources


T = TypeVar("T", bound="ServerUsage")


@_attrs_define
class ServerUsage:
    """
    Attributes:
        server_id (str):
        node_count (int):
        pod_count (int): Pods counted (not Succeeded or Failed).
        resources (ServerUsageResources): cpu (cores), memory_gb and ephemeral_storage_gb (GiB), nvidia.com/gpu
            (devices).
        measured_at (datetime.datetime):
    """

    server_id: str
    node_count: int
    pod_count: int
    resources: ServerUsageResources
    measured_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        server_id = self.server_id

        node_count = self.node_count

        pod_count = self.pod_count

        resources = self.resources.to_dict()

        measured_at = self.measured_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "server_id": server_id,
                "node_count": node_count,
                "pod_count": pod_count,
                "resources": resources,
                "measured_at": measured_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.server_usage_resources import ServerUsageResources  # noqa: PLC0415

        d = dict(src_dict)
        server_id = d.pop("server_id")

        node_count = d.pop("node_count")

        pod_count = d.pop("pod_count")

        resources = ServerUsageResources.from_dict(d.pop("resources"))

        measured_at = datetime.datetime.fromisoformat(d.pop("measured_at"))

        server_usage = cls(
            server_id=server_id,
            node_count=node_count,
            pod_count=pod_count,
            resources=resources,
            measured_at=measured_at,
        )

        server_usage.additional_properties = d
        return server_usage

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.server_test_reason_type_0 import ServerTestReasonType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.capacity import Capacity
    from ..models.catalog_service import CatalogService
    from ..models.cloud_project import CloudProject


T = TypeVar("T", bound="ServerTest")


@_attrs_define
class ServerTest:
    """A live check: ``ok: false`` with a reason code when the cluster cannot be used.

    Attributes:
        ok (bool):
        checked_at (datetime.datetime):
        reason (None | ServerTestReasonType0 | Unset):
        message (None | str | Unset):
        kubernetes_version (None | str | Unset):
        node_count (int | None | Unset):
        capacity (Capacity | None | Unset):
        keystone_version (None | str | Unset): OpenStack: the identity API version in use.
        catalog (list[CatalogService] | None | Unset): OpenStack: services and endpoints of the region.
        project (CloudProject | None | Unset): OpenStack: the project the credential is scoped to.
        roles (list[str] | None | Unset): OpenStack: the roles the credential holds there.
        warnings (list[str] | Unset):
        latency_ms (float | None | Unset):
    """

    ok: bool
    checked_at: datetime.datetime
    reason: None | ServerTestReasonType0 | Unset = UNSET
    message: None | str | Unset = UNSET
    kubernetes_version: None | str | Unset = UNSET
    node_count: int | None | Unset = UNSET
    capacity: Capacity | None | Unset = UNSET
    keystone_version: None | str | Unset = UNSET
    catalog: list[CatalogService] | None | Unset = UNSET
    project: CloudProject | None | Unset = UNSET
    roles: list[str] | None | Unset = UNSET
    warnings: list[str] | Unset = UNSET
    latency_ms: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.capacity import Capacity  # noqa: PLC0415
        from ..models.cloud_project import CloudProject  # noqa: PLC0415

        ok = self.ok

        checked_at = self.checked_at.isoformat()

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, ServerTestReasonType0):
            reason = self.reason.value
        else:
            reason = self.reason

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        kubernetes_version: None | str | Unset
        if isinstance(self.kubernetes_version, Unset):
            kubernetes_version = UNSET
        else:
            kubernetes_version = self.kubernetes_version

        node_count: int | None | Unset
        if isinstance(self.node_count, Unset):
            node_count = UNSET
        else:
            node_count = self.node_count

        capacity: dict[str, Any] | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        elif isinstance(self.capacity, Capacity):
            capacity = self.capacity.to_dict()
        else:
            capacity = self.capacity

        keystone_version: None | str | Unset
        if isinstance(self.keystone_version, Unset):
            keystone_version = UNSET
        else:
            keystone_version = self.keystone_version

        catalog: list[dict[str, Any]] | None | Unset
        if isinstance(self.catalog, Unset):
            catalog = UNSET
        elif isinstance(self.catalog, list):
            catalog = []
            for catalog_type_0_item_data in self.catalog:
                catalog_type_0_item = catalog_type_0_item_data.to_dict()
                catalog.append(catalog_type_0_item)

        else:
            catalog = self.catalog

        project: dict[str, Any] | None | Unset
        if isinstance(self.project, Unset):
            project = UNSET
        elif isinstance(self.project, CloudProject):
            project = self.project.to_dict()
        else:
            project = self.project

        roles: list[str] | None | Unset
        if isinstance(self.roles, Unset):
            roles = UNSET
        elif isinstance(self.roles, list):
            roles = self.roles

        else:
            roles = self.roles

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        latency_ms: float | None | Unset
        if isinstance(self.latency_ms, Unset):
            latency_ms = UNSET
        else:
            latency_ms = self.latency_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "checked_at": checked_at,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if message is not UNSET:
            field_dict["message"] = message
        if kubernetes_version is not UNSET:
            field_dict["kubernetes_version"] = kubernetes_version
        if node_count is not UNSET:
            field_dict["node_count"] = node_count
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if keystone_version is not UNSET:
            field_dict["keystone_version"] = keystone_version
        if catalog is not UNSET:
            field_dict["catalog"] = catalog
        if project is not UNSET:
            field_dict["project"] = project
        if roles is not UNSET:
            field_dict["roles"] = roles
        if warnings is not UNSET:
            field_dict["warnings"] = warnings
        if latency_ms is not UNSET:
            field_dict["latency_ms"] = latency_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.capacity import Capacity  # noqa: PLC0415
        from ..models.catalog_service import CatalogService  # noqa: PLC0415
        from ..models.cloud_project import CloudProject  # noqa: PLC0415

        d = dict(src_dict)
        ok = d.pop("ok")

        checked_at = datetime.datetime.fromisoformat(d.pop("checked_at"))

        def _parse_reason(data: object) -> None | ServerTestReasonType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = ServerTestReasonType0(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServerTestReasonType0 | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        def _parse_kubernetes_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kubernetes_version = _parse_kubernetes_version(
            d.pop("kubernetes_version", UNSET)
        )

        def _parse_node_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        node_count = _parse_node_count(d.pop("node_count", UNSET))

        def _parse_capacity(data: object) -> Capacity | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                capacity_type_0 = Capacity.from_dict(data)

                return capacity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Capacity | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))

        def _parse_keystone_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        keystone_version = _parse_keystone_version(d.pop("keystone_version", UNSET))

        def _parse_catalog(data: object) -> list[CatalogService] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                catalog_type_0 = []
                _catalog_type_0 = data
                for catalog_type_0_item_data in _catalog_type_0:
                    catalog_type_0_item = CatalogService.from_dict(
                        catalog_type_0_item_data
                    )

                    catalog_type_0.append(catalog_type_0_item)

                return catalog_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CatalogService] | None | Unset, data)

        catalog = _parse_catalog(d.pop("catalog", UNSET))

        def _parse_project(data: object) -> CloudProject | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                project_type_0 = CloudProject.from_dict(data)

                return project_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CloudProject | None | Unset, data)

        project = _parse_project(d.pop("project", UNSET))

        def _parse_roles(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                roles_type_0 = cast(list[str], data)

                return roles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        roles = _parse_roles(d.pop("roles", UNSET))

        warnings = cast(list[str], d.pop("warnings", UNSET))

        def _parse_latency_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        latency_ms = _parse_latency_ms(d.pop("latency_ms", UNSET))

        server_test = cls(
            ok=ok,
            checked_at=checked_at,
            reason=reason,
            message=message,
            kubernetes_version=kubernetes_version,
            node_count=node_count,
            capacity=capacity,
            keystone_version=keystone_version,
            catalog=catalog,
            project=project,
            roles=roles,
            warnings=warnings,
            latency_ms=latency_ms,
        )

        server_test.additional_properties = d
        return server_test

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

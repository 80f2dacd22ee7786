from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rate_card_flavor_hour import RateCardFlavorHour
    from ..models.rate_card_gpu_hour import RateCardGpuHour
    from ..models.rate_card_plans import RateCardPlans


T = TypeVar("T", bound="RateCard")


@_attrs_define
class RateCard:
    """
    Attributes:
        effective_from (datetime.datetime):
        tenant_id (str):
        version (int):
        created_at (datetime.datetime):
        currency (str | Unset):  Default: 'USD'.
        gpu_hour (RateCardGpuHour | Unset): Per GPU model label; key '*' for any other.
        vcpu_hour (str | Unset): Minor units per unit-hour (decimal string). Default: '0'.
        memory_gib_hour (str | Unset): Minor units per unit-hour (decimal string). Default: '0'.
        storage_gib_hour (str | Unset): Minor units per unit-hour (decimal string). Default: '0'.
        flavor_hour (RateCardFlavorHour | Unset): Per flavor name; key '*' for any other.
        plans (RateCardPlans | Unset): Flat monthly price per plan, minor units.
    """

    effective_from: datetime.datetime
    tenant_id: str
    version: int
    created_at: datetime.datetime
    currency: str | Unset = "USD"
    gpu_hour: RateCardGpuHour | Unset = UNSET
    vcpu_hour: str | Unset = "0"
    memory_gib_hour: str | Unset = "0"
    storage_gib_hour: str | Unset = "0"
    flavor_hour: RateCardFlavorHour | Unset = UNSET
    plans: RateCardPlans | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        effective_from = self.effective_from.isoformat()

        tenant_id = self.tenant_id

        version = self.version

        created_at = self.created_at.isoformat()

        currency = self.currency

        gpu_hour: dict[str, Any] | Unset = UNSET
        if not isinstance(self.gpu_hour, Unset):
            gpu_hour = self.gpu_hour.to_dict()

        vcpu_hour = self.vcpu_hour

        memory_gib_hour = self.memory_gib_hour

        storage_gib_hour = self.storage_gib_hour

        flavor_hour: dict[str, Any] | Unset = UNSET
        if not isinstance(self.flavor_hour, Unset):
            flavor_hour = self.flavor_hour.to_dict()

        plans: dict[str, Any] | Unset = UNSET
        if not isinstance(self.plans, Unset):
            plans = self.plans.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_from": effective_from,
                "tenant_id": tenant_id,
                "version": version,
                "created_at": created_at,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency
        if gpu_hour is not UNSET:
            field_dict["gpu_hour"] = gpu_hour
        if vcpu_hour is not UNSET:
            field_dict["vcpu_hour"] = vcpu_hour
        if memory_gib_hour is not UNSET:
            field_dict["memory_gib_hour"] = memory_gib_hour
        if storage_gib_hour is not UNSET:
            field_dict["storage_gib_hour"] = storage_gib_hour
        if flavor_hour is not UNSET:
            field_dict["flavor_hour"] = flavor_hour
        if plans is not UNSET:
            field_dict["plans"] = plans

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rate_card_flavor_hour import RateCardFlavorHour  # noqa: PLC0415
        from ..models.rate_card_gpu_hour import RateCardGpuHour  # noqa: PLC0415
        from ..models.rate_card_plans import RateCardPlans  # noqa: PLC0415

        d = dict(src_dict)
        effective_from = datetime.datetime.fromisoformat(d.pop("effective_from"))

        tenant_id = d.pop("tenant_id")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        currency = d.pop("currency", UNSET)

        _gpu_hour = d.pop("gpu_hour", UNSET)
        gpu_hour: RateCardGpuHour | Unset
        if isinstance(_gpu_hour, Unset):
            gpu_hour = UNSET
        else:
            gpu_hour = RateCardGpuHour.from_dict(_gpu_hour)

        vcpu_hour = d.pop("vcpu_hour", UNSET)

        memory_gib_hour = d.pop("memory_gib_hour", UNSET)

        storage_gib_hour = d.pop("storage_gib_hour", UNSET)

        _flavor_hour = d.pop("flavor_hour", UNSET)
        flavor_hour: RateCardFlavorHour | Unset
        if isinstance(_flavor_hour, Unset):
            flavor_hour = UNSET
        else:
            flavor_hour = RateCardFlavorHour.from_dict(_flavor_hour)

        _plans = d.pop("plans", UNSET)
        plans: RateCardPlans | Unset
        if isinstance(_plans, Unset):
            plans = UNSET
        else:
            plans = RateCardPlans.from_dict(_plans)

        rate_card = cls(
            effective_from=effective_from,
            tenant_id=tenant_id,
            version=version,
            created_at=created_at,
            currency=currency,
            gpu_hour=gpu_hour,
            vcpu_hour=vcpu_hour,
            memory_gib_hour=memory_gib_hour,
            storage_gib_hour=storage_gib_hour,
            flavor_hour=flavor_hour,
            plans=plans,
        )

        return rate_card

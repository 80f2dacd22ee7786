from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rate_card_body_flavor_hour import RateCardBodyFlavorHour
    from ..models.rate_card_body_gpu_hour import RateCardBodyGpuHour
    from ..models.rate_card_body_plans import RateCardBodyPlans


T = TypeVar("T", bound="RateCardBody")


@_attrs_define
class RateCardBody:
    """A tenant's prices from ``effective_from`` on (minor units per unit-hour; plans per month).

    Attributes:
        effective_from (datetime.datetime):
        currency (str | Unset):  Default: 'USD'.
        gpu_hour (RateCardBodyGpuHour | Unset): Per GPU model label; key '*' for any other.
        vcpu_hour (str | Unset): Minor units per unit-hour (decimal string). Default: '0'.
        memory_gib_hour (str | Unset): Minor units per unit-hour (decimal string). Default: '0'.
        storage_gib_hour (str | Unset): Minor units per unit-hour (decimal string). Default: '0'.
        flavor_hour (RateCardBodyFlavorHour | Unset): Per flavor name; key '*' for any other.
        plans (RateCardBodyPlans | Unset): Flat monthly price per plan, minor units.
    """

    effective_from: datetime.datetime
    currency: str | Unset = "USD"
    gpu_hour: RateCardBodyGpuHour | Unset = UNSET
    vcpu_hour: str | Unset = "0"
    memory_gib_hour: str | Unset = "0"
    storage_gib_hour: str | Unset = "0"
    flavor_hour: RateCardBodyFlavorHour | Unset = UNSET
    plans: RateCardBodyPlans | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        effective_from = self.effective_from.isoformat()

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
        from ..models.rate_card_body_flavor_hour import RateCardBodyFlavorHour  # noqa: PLC0415
        from ..models.rate_card_body_gpu_hour import RateCardBodyGpuHour  # noqa: PLC0415
        from ..models.rate_card_body_plans import RateCardBodyPlans  # noqa: PLC0415

        d = dict(src_dict)
        effective_from = datetime.datetime.fromisoformat(d.pop("effective_from"))

        currency = d.pop("currency", UNSET)

        _gpu_hour = d.pop("gpu_hour", UNSET)
        gpu_hour: RateCardBodyGpuHour | Unset
        if isinstance(_gpu_hour, Unset):
            gpu_hour = UNSET
        else:
            gpu_hour = RateCardBodyGpuHour.from_dict(_gpu_hour)

        vcpu_hour = d.pop("vcpu_hour", UNSET)

        memory_gib_hour = d.pop("memory_gib_hour", UNSET)

        storage_gib_hour = d.pop("storage_gib_hour", UNSET)

        _flavor_hour = d.pop("flavor_hour", UNSET)
        flavor_hour: RateCardBodyFlavorHour | Unset
        if isinstance(_flavor_hour, Unset):
            flavor_hour = UNSET
        else:
            flavor_hour = RateCardBodyFlavorHour.from_dict(_flavor_hour)

        _plans = d.pop("plans", UNSET)
        plans: RateCardBodyPlans | Unset
        if isinstance(_plans, Unset):
            plans = UNSET
        else:
            plans = RateCardBodyPlans.from_dict(_plans)

        rate_card_body = cls(
            effective_from=effective_from,
            currency=currency,
            gpu_hour=gpu_hour,
            vcpu_hour=vcpu_hour,
            memory_gib_hour=memory_gib_hour,
            storage_gib_hour=storage_gib_hour,
            flavor_hour=flavor_hour,
            plans=plans,
        )

        return rate_card_body

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.usage_record_kind import UsageRecordKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageRecord")


@_attrs_define
class UsageRecord:
    """Metered use of one resource over ``[start, end)``, inside one billing period.

    ``id`` is derived from the event that produced it (a pod's deletion, a server's power-off),
    so the same event delivered twice is the same record and is stored once.

        Attributes:
            id (str):
            kind (UsageRecordKind):
            resource_id (str):
            amount (int): Units in use (millicores, MiB, GPUs, instances).
            start (datetime.datetime):
            end (datetime.datetime):
            label (str | Unset): GPU model label or flavor name; '' when none. Default: ''.
            period (str | Unset): The calendar month of ``start`` (set when stored). Default: ''.
            billed_period (str | Unset): The invoice it goes on: its own, or the next open one if late. Default: ''.
    """

    id: str
    kind: UsageRecordKind
    resource_id: str
    amount: int
    start: datetime.datetime
    end: datetime.datetime
    label: str | Unset = ""
    period: str | Unset = ""
    billed_period: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        resource_id = self.resource_id

        amount = self.amount

        start = self.start.isoformat()

        end = self.end.isoformat()

        label = self.label

        period = self.period

        billed_period = self.billed_period

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "resource_id": resource_id,
                "amount": amount,
                "start": start,
                "end": end,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label
        if period is not UNSET:
            field_dict["period"] = period
        if billed_period is not UNSET:
            field_dict["billed_period"] = billed_period

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = UsageRecordKind(d.pop("kind"))

        resource_id = d.pop("resource_id")

        amount = d.pop("amount")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        end = datetime.datetime.fromisoformat(d.pop("end"))

        label = d.pop("label", UNSET)

        period = d.pop("period", UNSET)

        billed_period = d.pop("billed_period", UNSET)

        usage_record = cls(
            id=id,
            kind=kind,
            resource_id=resource_id,
            amount=amount,
            start=start,
            end=end,
            label=label,
            period=period,
            billed_period=billed_period,
        )

        return usage_record

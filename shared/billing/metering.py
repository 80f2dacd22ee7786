"""Usage records from what Cloudplane runs (pure: the callers read the clusters and the clock).

A pod is metered from when it was created (or last resized) to when it was deleted or found
gone, by the resources it requested (requests equal limits, so that is what it held). Record
ids are ``pod:<pod id>:<metered from>:<kind>``: whichever of a DELETE, its retry, a listing
that finds the pod gone or a second instance reports it first, it is one record, stored once.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from shared.billing.periods import as_utc
from shared.models.billing import UsageRecord

MIB = Decimal(2**20)

GPU_LABEL_KEYS = ("nvidia.com/gpu.product", "gpu-model", "gpu_model")
"""Server labels naming the GPU model its pods' GPU-hours are priced by (first one set wins)."""


def pod_meter(amounts: dict[str, Decimal], server_labels: dict[str, str]) -> str:
    """What a pod holds, as stored with it: millicores, MiB, GPUs, storage MiB and the GPU model."""
    label = next((server_labels[key] for key in GPU_LABEL_KEYS if server_labels.get(key)), "")
    return json.dumps(
        {
            "cpu_m": int(amounts.get("cpu", Decimal(0)) * 1000),
            "memory_mib": int(amounts.get("memory", Decimal(0)) / MIB),
            "gpus": int(amounts.get("nvidia.com/gpu", Decimal(0))),
            "storage_mib": int(amounts.get("ephemeral-storage", Decimal(0)) / MIB),
            "gpu_label": label,
        },
        sort_keys=True,
    )


def pod_usage(pod_id: str, meter: str, start: datetime, end: datetime) -> list[UsageRecord]:
    """The records of a pod that held ``meter`` over ``[start, end)`` (none for an empty meter)."""
    if not meter or as_utc(end) <= as_utc(start):
        return []
    held = json.loads(meter)
    since = as_utc(start).isoformat()
    kinds = (
        ("gpu_hours", held.get("gpus", 0), held.get("gpu_label", "")),
        ("cpu_hours", held.get("cpu_m", 0), ""),
        ("memory_gib_hours", held.get("memory_mib", 0), ""),
        ("storage_gib_hours", held.get("storage_mib", 0), ""),
    )
    return [
        UsageRecord(
            id=f"pod:{pod_id}:{since}:{kind}",
            kind=kind,
            resource_id=pod_id,
            label=label,
            amount=amount,
            start=start,
            end=end,
        )
        for kind, amount, label in kinds
        if amount > 0
    ]


def server_usage(server_id: str, flavor: str, powered_on: datetime, powered_off: datetime) -> list[UsageRecord]:
    """Flavor-hours of an OpenStack server between a power-on and the power-off or destroy after it.

    The id names the server and the power-on instant, so the power-off, a retried destroy and
    Nova's usage report of the same interval are one record. (For the OpenStack actions to call
    through ``BillingService.meter``; the actions themselves are not metered yet.)
    """
    if as_utc(powered_off) <= as_utc(powered_on):
        return []
    return [
        UsageRecord(
            id=f"server:{server_id}:{as_utc(powered_on).isoformat()}:flavor_hours",
            kind="flavor_hours",
            resource_id=server_id,
            label=flavor,
            amount=1,
            start=powered_on,
            end=powered_off,
        )
    ]

"""Usage records from what Cloudplane runs (the callers read the clusters and the clock).

A pod is metered from when it was created (or last resized) to when it was deleted or found
gone, by the resources it requested (requests equal limits, so that is what it held). Record
ids are ``pod:<pod id>:<metered from>:<kind>``: whichever of a DELETE, its retry, a listing
that finds the pod gone or a second instance reports it first, it is one record, stored once.

An OpenStack server is metered in flavor-hours from the completion of a power action that
makes it run (on, resume) to the completion of one that stops it (off, suspend, destroy)
(``ServerMeter``, called by the ``openstack.power_action`` job). The start is stored once
(``shared/storage/server_power.py``, first writer wins), so every delivery of the stopping
step builds the same record id, ``server:<server id>:<powered on>:flavor_hours``, and the
billing provider stores it once. An interval still open at a month's end is cut there by
``record_usage`` when it is recorded, like any record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from shared.billing.periods import as_utc
from shared.models.billing import UsageRecord
from shared.models.cloud_actions import Observed
from shared.storage.server_power import PowerInterval, ServerPowerRepository

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
    a redelivered step closing the same interval are one record (``ServerMeter`` calls this).
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


POWERS_ON = frozenset({"on", "resume"})
"""Device actions after which the server runs (and is billed)."""
POWERS_OFF = frozenset({"off", "suspend", "destroy"})
"""Device actions after which it no longer runs: the open interval is billed and closed."""


class ServerMeter:
    """Turns completed power actions on OpenStack servers into flavor-hour usage records.

    ``account_for(tenant_id, project_id)`` names the billing account the server's hours go to
    (its team's, else the tenant's; ``BillingService.server_account``); it is asked at power-on
    and stored with the interval, because a record id is unique per account: every delivery
    of the power-off must bill the account the first one did. ``record(tenant_id, account_id,
    records)`` stores them (``BillingService.meter``).
    """

    def __init__(
        self,
        intervals: Callable[[], ServerPowerRepository],
        account_for: Callable[[str, str | None], str],
        record: Callable[[str, str, list[UsageRecord]], int],
    ) -> None:
        self._intervals = intervals
        self._account_for = account_for
        self._record = record

    def power_changed(
        self, tenant_id: str, cloud_id: str, server_id: str, action: str, seen: Observed, at: datetime, job: str
    ) -> int:
        """The action reached its target state at ``at``; answers how many usage records were new.

        Power-on: the interval opens at ``at`` unless one is open already (a redelivered step,
        or a server that was running by our records: the earlier start stands). Power-off: the
        open interval is recorded up to ``at``, then removed; none open (already closed by an
        earlier delivery, or the server ran before Cloudplane saw it) records nothing. A crash
        between the two leaves the row: the redelivery records the same id again (stored once)
        and removes it.
        """
        intervals = self._intervals()
        if action in POWERS_ON:
            interval = PowerInterval(
                tenant_id,
                cloud_id,
                server_id,
                at,
                seen.flavor or "",
                self._account_for(tenant_id, seen.project_id),
                job,
            )
            intervals.open(interval)
            return 0
        if action not in POWERS_OFF:
            return 0
        found = intervals.get(tenant_id, cloud_id, server_id)
        if found is None:
            return 0
        added = self._record(tenant_id, found.account_id, server_usage(server_id, found.flavor, found.on_since, at))
        intervals.close(tenant_id, cloud_id, server_id)
        return added

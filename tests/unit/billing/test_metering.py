"""Usage records from pods and servers: deterministic ids, the amounts held, nothing for no time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from shared.billing.metering import pod_meter, pod_usage, server_usage

T0 = datetime(2026, 11, 5, 10, tzinfo=UTC)


def test_a_pod_meter_in_billing_units() -> None:
    amounts = {
        "cpu": Decimal("2.5"),
        "memory": Decimal(8 * 2**30),
        "nvidia.com/gpu": Decimal(2),
        "ephemeral-storage": Decimal(0),
    }
    meter = pod_meter(amounts, {"gpu-model": "nvidia-h100"})
    records = pod_usage("pod_1", meter, T0, T0 + timedelta(hours=2))
    assert {(r.kind, r.amount, r.label) for r in records} == {
        ("gpu_hours", 2, "nvidia-h100"),
        ("cpu_hours", 2500, ""),
        ("memory_gib_hours", 8192, ""),
    }
    again = pod_usage("pod_1", meter, T0, T0 + timedelta(hours=5))  # found gone later: the same ids
    assert [r.id for r in again] == [r.id for r in records]
    assert pod_usage("pod_1", meter, T0, T0) == [] and pod_usage("pod_1", "", T0, T0 + timedelta(hours=1)) == []


def test_server_flavor_hours() -> None:
    (record,) = server_usage("srv", "m1.large", T0, T0 + timedelta(hours=3))
    assert record.kind == "flavor_hours" and record.label == "m1.large" and record.amount == 1
    assert record.id == server_usage("srv", "m1.large", T0, T0 + timedelta(hours=9))[0].id
    assert server_usage("srv", "m1.large", T0, T0 - timedelta(seconds=1)) == []

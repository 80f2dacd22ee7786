"""Pods through the API against the Kubernetes emulator produce the usage they should.

A settable clock (no sleeps): a pod created at 10:00 and deleted at 13:30 held its GPUs, CPU,
memory and storage for 3.5 hours; a pod deleted behind Cloudplane's back is metered by the
next listing; a retried DELETE or a second listing adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared import clock as clock_module
from shared import deps
from tests.functional.test_pods import Tenant
from tests.support.inprocess import InProcessClient
from tests.support.kube import KubeEmulator, gpu_node

pytestmark = pytest.mark.usefixtures("cluster_settings")

START = datetime(2026, 11, 5, 10, tzinfo=UTC)


class Clock:
    now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, cluster_settings: None) -> Iterator[Clock]:
    fake = Clock()
    monkeypatch.setattr(clock_module, "utc_now", fake)
    deps.reset()
    yield fake


def usage(api: Tenant) -> dict[tuple[str, str, str], tuple[int, float]]:
    (account,) = api("GET", "/api/v1/billing/accounts").json()["items"]
    window = {"start": "2026-11-01T00:00:00Z", "end": "2026-12-01T00:00:00Z"}
    reply = api("GET", f"/api/v1/billing/accounts/{account['id']}/usage", params=window)
    assert reply.status == 200, reply.body
    return {
        (r["resource_id"], r["kind"], r["label"]): (
            r["amount"],
            (datetime.fromisoformat(r["end"]) - datetime.fromisoformat(r["start"])).total_seconds() / 3600,
        )
        for r in reply.json()["items"]
    }


def test_pods_created_and_deleted_produce_their_hours(
    client: InProcessClient,
    make_tenant: Callable[..., dict[str, Any]],
    emulators: Callable[..., KubeEmulator],
    clock: Clock,
) -> None:
    api = Tenant(client, make_tenant())
    cluster = emulators(nodes=[gpu_node("n1")])
    server = api.server(cluster.url, labels={"nvidia.com/gpu.product": "nvidia-a100"})
    resources = {"gpus": 2, "cpu": 2.5, "ram_gb": 8, "storage_gb": 10}
    trainer = api.pod(server["id"], "trainer", resources=resources)
    lost = api.pod(server["id"], "lost", resources={"gpus": 1, "cpu": 1, "ram_gb": 1})

    clock.now = START + timedelta(hours=3, minutes=30)
    assert api("DELETE", f"/api/v1/pods/{trainer['id']}").status == 204
    assert api("DELETE", f"/api/v1/pods/{trainer['id']}").status == 404  # a retry: nothing more

    cluster.remove_pod(server["namespace"], "lost")  # gone behind our back
    clock.now = START + timedelta(hours=5)
    assert api("GET", "/api/v1/pods").status == 200
    clock.now = START + timedelta(hours=9)
    assert api("GET", "/api/v1/pods").status == 200  # a second listing finds nothing more to meter

    assert usage(api) == {
        (trainer["id"], "gpu_hours", "nvidia-a100"): (2, 3.5),
        (trainer["id"], "cpu_hours", ""): (2500, 3.5),
        (trainer["id"], "memory_gib_hours", ""): (8192, 3.5),
        (trainer["id"], "storage_gib_hours", ""): (10240, 3.5),
        (lost["id"], "gpu_hours", "nvidia-a100"): (1, 5.0),
        (lost["id"], "cpu_hours", ""): (1000, 5.0),
        (lost["id"], "memory_gib_hours", ""): (1024, 5.0),
    }
    (account,) = api("GET", "/api/v1/billing/accounts").json()["items"]
    draft = api("GET", f"/api/v1/billing/accounts/{account['id']}/invoices/draft").json()
    gpu_line = next(line for line in draft["lines"] if line["usage_kind"] == "gpu_hours")
    assert gpu_line["quantity"] == "12.000000" and gpu_line["amount"] == 12 * 300  # 2 x 3.5 + 1 x 5 A100-hours

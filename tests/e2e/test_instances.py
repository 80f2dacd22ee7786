"""Two app instances sharing one Azurite: revocation and the rate limit hold across both."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import httpx

from tests.e2e.conftest import ADMIN, new_tenant
from tests.support.azurite import Azurite
from tests.support.devhost_process import DevHost


def test_revoked_key_is_refused_by_the_other_instance_within_5_seconds(
    azurite: Azurite, start_host: Callable[..., DevHost], http: httpx.Client
) -> None:
    first, second = start_host(azurite), start_host(azurite)
    created = new_tenant(http, first, f"rev-{uuid.uuid4().hex[:8]}")
    key = {"X-API-Key": created["api_key"]["key"]}
    assert http.get(f"{second.base_url}/api/v1/me", headers=key).status_code == 200  # cached on the second

    path = f"/api/v1/tenants/{created['tenant']['id']}/api-keys/{created['api_key']['id']}"
    assert http.delete(f"{first.base_url}{path}", headers=ADMIN).status_code == 204
    revoked = time.monotonic()
    assert http.get(f"{first.base_url}/api/v1/me", headers=key).status_code == 401
    while http.get(f"{second.base_url}/api/v1/me", headers=key).status_code != 401:
        assert time.monotonic() - revoked < 5.0, "the second instance still accepts the revoked key"
        time.sleep(0.1)


def test_instances_share_one_rate_limit(
    azurite: Azurite, start_host: Callable[..., DevHost], http: httpx.Client
) -> None:
    setup = start_host(azurite)
    created = new_tenant(http, setup, f"rl-{uuid.uuid4().hex[:8]}")
    setup.stop()
    first, second = (start_host(azurite, CLOUDPLANE_RATE_LIMIT_DEFAULT=12) for _ in range(2))
    key = {"Authorization": f"Bearer {created['api_key']['key']}"}
    statuses: dict[str, list[int]] = {"first": [], "second": []}
    for i in range(30):
        name, host = ("first", first) if i % 2 == 0 else ("second", second)
        statuses[name].append(http.get(f"{host.base_url}/api/v1/me", headers=key).status_code)
    granted = sum(s == 200 for codes in statuses.values() for s in codes)
    assert granted <= 12, statuses
    assert granted >= 12 - 4, statuses  # leases shrink as the window fills
    assert 429 in statuses["first"] and 429 in statuses["second"]

"""Rate limits per tenant and route class, held in Table storage and shared by instances."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared import deps
from shared.api.ratelimit import RateLimiter
from shared.config import get_settings
from shared.errors import RateLimited
from tests.functional.conftest import unique_slug
from tests.support.inprocess import InProcessClient


def test_limit_then_429_with_retry_after(
    client: InProcessClient, configure: Callable[..., None], make_tenant: Callable[..., dict[str, Any]]
) -> None:
    tenant, other = make_tenant(), make_tenant()
    configure(CLOUDPLANE_RATE_LIMIT_DEFAULT=5)
    statuses = []
    remaining = []
    for _ in range(7):
        reply = client.get("/api/v1/me", headers=tenant["headers"])
        statuses.append(reply.status)
        remaining.append(reply.header("X-RateLimit-Remaining"))
        assert reply.header("X-RateLimit-Limit") == "5"
        assert reply.header("RateLimit-Policy") == '"default";q=5;w=60'
        reset = reply.header("X-RateLimit-Reset") or ""
        assert 1 <= int(reset) <= 60
        assert reply.header("RateLimit") == f'"default";r={remaining[-1]};t={reset}'
    assert statuses == [200] * 5 + [429] * 2
    assert remaining[:5] == ["4", "3", "2", "1", "0"]
    limited = client.get("/api/v1/me", headers=tenant["headers"])
    assert limited.json()["error"]["code"] == "RATE_LIMITED"
    assert 1 <= int(limited.header("Retry-After") or 0) <= 60

    assert client.get("/api/v1/me", headers=other["headers"]).status == 200, "limits are per tenant"


def test_two_instances_share_one_budget(azurite: Any, configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_RATE_LIMIT_DEFAULT=30)
    first, second = (RateLimiter(get_settings(), deps.storage()) for _ in range(2))
    key = unique_slug("shared")
    granted = 0
    for i in range(80):
        try:
            (first if i % 2 else second).check(key, "default")
            granted += 1
        except RateLimited:
            pass
    assert granted <= 30, "the instances together exceeded the limit"
    assert granted >= 30 - 2 * get_settings().rate_limit_lease_max, "leases held back too much"


def test_route_classes_have_separate_budgets(configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_RATE_LIMIT_JOBS=2, CLOUDPLANE_RATE_LIMIT_DEFAULT=50)
    limiter = deps.rate_limiter()
    key = unique_slug("classes")
    assert limiter.check(key, "jobs").limit == 2
    limiter.check(key, "jobs")
    try:
        limiter.check(key, "jobs")
    except RateLimited as error:
        assert 1 <= int(error.headers["Retry-After"]) <= 60
    else:
        raise AssertionError("the third job submission was allowed")
    assert limiter.check(key, "default").remaining >= 40


def test_a_new_window_restores_the_budget(configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_RATE_LIMIT_DEFAULT=3, CLOUDPLANE_RATE_LIMIT_WINDOW_SECONDS=60)
    now = [1_800_000_000.0]
    limiter = RateLimiter(get_settings(), deps.storage(), clock=lambda: now[0])
    key = unique_slug("window")
    for _ in range(3):
        limiter.check(key, "default")
    try:
        limiter.check(key, "default")
        raise AssertionError("over the limit")
    except RateLimited:
        pass
    now[0] += 60
    assert limiter.check(key, "default").remaining == 2


def test_storage_round_trips_are_a_fraction_per_request(configure: Callable[..., None]) -> None:
    configure(CLOUDPLANE_RATE_LIMIT_DEFAULT=1000)
    limiter = RateLimiter(get_settings(), deps.storage())
    key = unique_slug("rt")
    for _ in range(200):
        limiter.check(key, "default")
    assert limiter.round_trips / 200 <= 0.15

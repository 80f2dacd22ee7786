"""The OpenStack connection cache's bound: least recently used dropped and closed, a key's entry
replaced (and closed) when its credentials change, the setting read from the environment.

Only the login is stood in for (``_build``): a connection object that records ``close()``; the
cache's bookkeeping is the real one. The logins themselves are ``tests/functional/test_cloud_connections.py``'s.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from shared.models.clouds import CloudConfig
from shared.providers.openstack import CloudConnections


class _Token:
    def will_expire_soon(self, margin: float) -> bool:
        return False


class FakeConnection:
    def __init__(self, password: str) -> None:
        self.password = password
        self.closed = False
        self.session = SimpleNamespace(auth=SimpleNamespace(auth_ref=_Token()))

    def close(self) -> None:
        self.closed = True


class Recorded(CloudConnections):
    """The real cache; each login is a ``FakeConnection`` kept in ``made``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(1.0, **kwargs)
        self.made: list[FakeConnection] = []

    def _build(self, cloud: CloudConfig) -> Any:
        assert cloud.auth.password is not None
        connection = FakeConnection(cloud.auth.password.get_secret_value())
        self.made.append(connection)
        return connection


def cloud(user: str, password: str = "pw") -> CloudConfig:  # noqa: S107 - a test double's
    auth = {"auth_url": "https://keystone.example.org/v3", "user_id": user, "password": password, "project_id": "p"}
    return CloudConfig.model_validate({"auth": auth})


def test_past_the_cap_the_least_recently_used_is_dropped_and_closed() -> None:
    cache = Recorded(max_entries=3)
    a, b, c = (cache.connection(key, cloud(key)) for key in ("a", "b", "c"))
    assert cache.connection("a", cloud("a")) is a  # a used again: b is now the oldest
    d = cache.connection("d", cloud("d"))
    assert len(cache) == 3
    assert b.closed and not (a.closed or c.closed or d.closed)
    assert cache.connection("a", cloud("a")) is a and cache.connection("c", cloud("c")) is c
    assert cache.builds == 4
    assert cache.connection("b", cloud("b")) is not b, "an evicted key logs in again"
    assert cache.builds == 5 and len(cache) == 3


def test_changed_credentials_replace_the_keys_entry_and_close_it() -> None:
    cache = Recorded(max_entries=10)
    old = cache.connection("user", cloud("u", "first"))
    for number in range(20):  # a user who changes a password often never grows the cache
        new = cache.connection("user", cloud("u", f"pw-{number}"))
        assert new.password == f"pw-{number}"
    assert len(cache) == 1 and old.closed
    assert [made.closed for made in cache.made] == [True] * 20 + [False]
    assert cache.connection("user", cloud("u", "pw-19")) is new


def test_many_users_stay_within_the_cap_and_build_locks_do_not_pile_up() -> None:
    cache = Recorded(max_entries=5)
    for number in range(200):
        cache.connection(f"user-{number}", cloud(f"u{number}"))
    assert len(cache) == 5
    assert sum(not made.closed for made in cache.made) == 5
    assert len(cache._building) <= 2 * 5 + 1


def test_the_cap_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.config import Settings

    monkeypatch.setenv("CLOUDPLANE_OPENSTACK_MAX_CONNECTIONS", "7")
    assert Settings().openstack_max_connections == 7  # type: ignore[call-arg]
    monkeypatch.delenv("CLOUDPLANE_OPENSTACK_MAX_CONNECTIONS")
    assert Settings().openstack_max_connections == 256  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        CloudConnections(1.0, max_entries=0)

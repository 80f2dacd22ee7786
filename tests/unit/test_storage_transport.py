"""The storage clients' shared HTTP session: it reads the environment once, unless a proxy needs it per request."""

from __future__ import annotations

import pytest

from shared.storage.clients import _transport

_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
              "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_without_a_proxy_the_session_does_not_read_the_environment_per_request() -> None:
    transport = _transport(3.0)
    assert transport.session.trust_env is False
    assert transport.connection_config.timeout == 3.0 and transport.connection_config.read_timeout == 3.0
    assert transport.connection_config.verify is True


def test_a_ca_bundle_from_the_environment_is_still_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    transport = _transport(3.0)
    assert transport.session.trust_env is False
    assert transport.connection_config.verify == "/etc/ssl/certs/ca-certificates.crt"


@pytest.mark.parametrize("name", ["HTTPS_PROXY", "http_proxy"])
def test_with_a_proxy_the_session_keeps_honouring_the_environment(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, "http://proxy.example:3128")
    assert _transport(3.0).session.trust_env is True

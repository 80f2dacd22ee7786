"""Pure logic: key format and hashing, trace context, request ids, route patterns, settings."""

from __future__ import annotations

import pytest

from shared.api.auth import presented_key
from shared.api.router import ROUTES, path_params_of
from shared.api.tracing import parse_traceparent, request_id_from
from shared.config import Settings
from shared.security import keys


def test_generated_keys_are_unique_parseable_and_hashed() -> None:
    first, second = keys.generate(), keys.generate()
    assert first.secret != second.secret and first.key_id != second.key_id
    assert keys.key_id_of(first.secret) == first.key_id
    assert first.hash != first.secret and len(first.hash) == 64
    assert keys.matches(first.secret, first.hash)
    assert not keys.matches(second.secret, first.hash)


@pytest.mark.parametrize(
    "key", ["", "cpk_", "cpk_xyz_abc", "sk_0123456789abcdef_" + "A" * 43, "cpk_0123456789abcdef_short"]
)
def test_malformed_keys_have_no_id(key: str) -> None:
    assert keys.key_id_of(key) is None


def test_presented_key_from_either_header() -> None:
    assert presented_key({"authorization": "Bearer abc"}) == "abc"
    assert presented_key({"authorization": "bearer  abc "}) == "abc"
    assert presented_key({"x-api-key": "xyz"}) == "xyz"
    assert presented_key({"authorization": "Basic Zm9v"}) is None
    assert presented_key({}) is None


def test_traceparent_is_kept_or_replaced() -> None:
    trace = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    assert trace.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert trace.span_id != "00f067aa0ba902b7" and trace.sampled
    assert trace.traceparent.startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    for bad in (
        None,
        "",
        "garbage",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-" + "0" * 32 + "-00f067aa0ba902b7-01",
    ):
        fresh = parse_traceparent(bad)
        assert len(fresh.trace_id) == 32 and fresh.trace_id != "0" * 32


def test_request_ids() -> None:
    assert request_id_from("abc-123") == "abc-123"
    assert request_id_from("x" * 200).startswith("req_")
    assert request_id_from("a b").startswith("req_")
    assert request_id_from(None) != request_id_from(None)


def test_route_patterns_and_params() -> None:
    assert path_params_of("v1/tenants/{tenant_id}/api-keys/{key_id}") == ("tenant_id", "key_id")
    assert path_params_of("docs/{*asset}") == ("asset",)
    import function_app  # noqa: F401 - registers the operations

    assert ROUTES.methods_for("/api/v1/tenants") == ["GET", "HEAD", "POST"]
    assert ROUTES.methods_for("/api/v1/tenants/abc/api-keys/def") == ["DELETE"]
    assert ROUTES.methods_for("/api/v1/tenants/abc/def") == []


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDPLANE_CORS_ORIGINS", "https://a.example, https://b.example,")
    monkeypatch.setenv("CLOUDPLANE_RATE_LIMIT_JOBS", "7")
    monkeypatch.setenv("CLOUDPLANE_ADMIN_KEY", "s3cret")
    settings = Settings()
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.rate_limit_for("jobs") == 7 and settings.rate_limit_for("default") == 100
    assert "s3cret" not in repr(settings)
    monkeypatch.setenv("CLOUDPLANE_AUTH_CACHE_SECONDS", "30")
    with pytest.raises(ValueError, match="less than or equal to 5"):
        Settings()

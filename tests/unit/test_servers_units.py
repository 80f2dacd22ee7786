"""Pure pieces of the servers slice: quantities, endpoint rules, credential encryption."""

from __future__ import annotations

import base64
import ipaddress
import time
from decimal import Decimal

import pytest
from pydantic import SecretStr

from shared.api.errors import status_of
from shared.config import Settings
from shared.errors import ServiceUnavailable
from shared.net.addresses import EndpointNotAllowed, check_endpoint, classify
from shared.providers import kubernetes as kube
from shared.providers.quantities import parse_quantity
from shared.security.credentials import CredentialCipher, Sealed, key_id_of
from tests.support.blackhole import Blackhole


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", Decimal("0.5")),
        ("2", Decimal(2)),
        ("0.25", Decimal("0.25")),
        (".5", Decimal("0.5")),
        ("64Gi", Decimal(64 * 2**30)),
        ("1.5G", Decimal("1.5e9")),
        ("128974848", Decimal(128974848)),
        ("129e6", Decimal(129_000_000)),
        ("123Mi", Decimal(123 * 2**20)),
        ("1Ki", Decimal(1024)),
        ("100k", Decimal(100_000)),
        ("2E", Decimal("2e18")),
        ("1Ei", Decimal(2**60)),
        ("250u", Decimal("0.00025")),
        ("10n", Decimal("1e-8")),
        ("1T", Decimal("1e12")),
        (4, Decimal(4)),
        (None, Decimal(0)),
    ],
)
def test_quantities(text: str | int | None, value: Decimal) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1Gb", "1.2.3", "Mi", "1 Gi", "1e", "--1"])
def test_malformed_quantities(text: str) -> None:
    with pytest.raises(ValueError, match="quantity"):
        parse_quantity(text)


def test_pod_requests_take_init_containers_into_account() -> None:
    pod = {
        "spec": {
            "containers": [
                {"resources": {"requests": {"cpu": "250m", "memory": "1Gi"}}},
                {"resources": {"requests": {"cpu": "750m", "nvidia.com/gpu": "1"}}},
                {},
            ],
            "initContainers": [{"resources": {"requests": {"cpu": "2", "memory": "512Mi"}}}],
        }
    }
    requests = kube.pod_requests(pod)
    assert requests["cpu"] == 2 and requests["memory"] == 2**30 and requests["nvidia.com/gpu"] == 1


@pytest.mark.parametrize(
    ("address", "rule"),
    [
        ("169.254.169.254", "link_local_or_metadata"),
        ("169.254.0.1", "link_local_or_metadata"),
        ("fe80::1", "link_local_or_metadata"),
        ("fd00:ec2::254", "link_local_or_metadata"),
        ("100.100.100.200", "link_local_or_metadata"),
        ("168.63.129.16", "link_local_or_metadata"),
        ("::ffff:169.254.169.254", "link_local_or_metadata"),
        ("0.0.0.0", "link_local_or_metadata"),
        ("127.0.0.1", "private_network"),
        ("::1", "private_network"),
        ("10.1.2.3", "private_network"),
        ("172.16.0.1", "private_network"),
        ("192.168.1.1", "private_network"),
        ("100.64.0.1", "private_network"),
        ("fd12:3456::1", "private_network"),
        ("::ffff:10.0.0.1", "private_network"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_classes(address: str, rule: str | None) -> None:
    assert classify(ipaddress.ip_address(address)) == rule


def _rule(url: str, *, allow_private: bool = False, resolves_to: tuple[str, ...] = ("8.8.8.8",)) -> str | None:
    try:
        check_endpoint(url, allow_private=allow_private, resolver=lambda host: resolves_to)
    except EndpointNotAllowed as error:
        assert status_of(error) == 422 and error.code == "ENDPOINT_NOT_ALLOWED"
        assert error.details["rule"] == error.rule
        return error.rule
    return None


def test_endpoint_rules() -> None:
    assert _rule("https://k8s.example.com:6443") is None
    assert _rule("https://8.8.8.8") is None
    assert _rule("http://169.254.169.254/latest/meta-data", allow_private=True) == "link_local_or_metadata"
    assert _rule("http://[fd00:ec2::254]/", allow_private=True) == "link_local_or_metadata"
    assert _rule("http://metadata.google.internal/", allow_private=True) == "link_local_or_metadata"
    assert _rule("https://127.0.0.1:6443") == "private_network"
    assert _rule("https://127.0.0.1:6443", allow_private=True) is None
    assert _rule("https://10.0.0.4:6443") == "private_network"
    assert _rule("file:///etc/passwd", allow_private=True) == "scheme"
    assert _rule("gopher://example.com", allow_private=True) == "scheme"
    assert _rule("https://user:pw@example.com") == "userinfo_in_url"
    assert _rule("https://") == "invalid_url"
    assert _rule("https://example.com:99999") == "invalid_url"


def test_names_are_judged_by_every_address_they_resolve_to() -> None:
    assert _rule("https://rebind.example", resolves_to=("8.8.8.8", "169.254.169.254")) == "link_local_or_metadata"
    assert _rule("https://internal.example", resolves_to=("10.0.0.5",)) == "private_network"
    assert _rule("https://internal.example", allow_private=True, resolves_to=("10.0.0.5",)) is None
    assert _rule("https://nowhere.example", resolves_to=()) == "unresolvable"


def test_real_resolution_of_localhost() -> None:
    with pytest.raises(EndpointNotAllowed) as refused:
        check_endpoint("http://localhost:6443", allow_private=False)
    assert refused.value.rule == "private_network"
    check_endpoint("http://localhost:6443", allow_private=True)


KEY_A, KEY_B = b"a" * 32, b"b" * 32


def test_encryption_round_trip_binds_the_owner() -> None:
    cipher = CredentialCipher(KEY_A)
    sealed = cipher.seal(b"token-123", b"t1:s1")
    assert sealed.key_id == key_id_of(KEY_A) and b"token-123" not in sealed.blob
    assert cipher.seal(b"token-123", b"t1:s1").blob != sealed.blob, "a fresh nonce every time"
    assert cipher.open(sealed, b"t1:s1") == b"token-123"
    with pytest.raises(ServiceUnavailable) as moved:
        cipher.open(sealed, b"t2:s1")
    assert moved.value.code == "CREDENTIALS_CORRUPT"
    tampered = Sealed(sealed.key_id, sealed.blob[:-1] + bytes([sealed.blob[-1] ^ 1]))
    with pytest.raises(ServiceUnavailable):
        cipher.open(tampered, b"t1:s1")


def test_rotation_decrypts_with_the_previous_key_and_encrypts_with_the_new() -> None:
    old = CredentialCipher(KEY_A).seal(b"secret", b"x")
    rotated = CredentialCipher(KEY_B, KEY_A)
    assert rotated.open(old, b"x") == b"secret"
    assert rotated.seal(b"secret", b"x").key_id == key_id_of(KEY_B)
    with pytest.raises(ServiceUnavailable) as unknown:
        CredentialCipher(KEY_B).open(old, b"x")
    assert unknown.value.code == "CREDENTIALS_KEY_UNKNOWN"


def test_keys_come_from_settings() -> None:
    encoded = base64.b64encode(KEY_A).decode()
    cipher = CredentialCipher.from_settings(Settings(credentials_key=SecretStr(encoded)))
    assert cipher.current_key_id == key_id_of(KEY_A)
    with pytest.raises(ServiceUnavailable) as missing:
        CredentialCipher.from_settings(Settings(credentials_key=None)).seal(b"s", b"x")
    assert missing.value.code == "CREDENTIALS_KEY_MISSING" and status_of(missing.value) == 503
    with pytest.raises(ServiceUnavailable) as invalid:
        CredentialCipher.from_settings(Settings(credentials_key=SecretStr("dG9vIHNob3J0")))
    assert invalid.value.code == "CREDENTIALS_KEY_INVALID"


def test_a_cluster_that_never_answers_is_a_timeout() -> None:
    with Blackhole() as hole:
        target = kube.Target("blackhole", 1, f"http://127.0.0.1:{hole.port}", None, kube.Credentials)
        started = time.perf_counter()
        result = kube.probe(target, 0.3)
    kube.CLIENTS.forget("blackhole")
    assert result.ok is False and result.reason == "TIMEOUT"
    assert time.perf_counter() - started < 2


def test_credentials_never_print() -> None:
    assert "hunter2" not in repr(kube.Credentials(token="hunter2"))


def test_ca_bundle_is_written_once_as_a_file() -> None:
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    path = kube._ca_file(pem)
    assert kube._ca_file(pem) == path
    with open(path) as handle:
        assert handle.read() == pem


def test_a_client_is_pinned_to_its_checked_address_and_rebuilt_when_it_changes() -> None:
    cache = kube.ClientCache()
    first = kube.Target("s", 1, "http://cluster.test:6443", None, kube.Credentials, "127.0.0.1")
    client = cache.client(first)
    assert client.configuration.host == "http://127.0.0.1:6443"
    assert client.default_headers["Host"] == "cluster.test:6443", "the server still sees its name"
    assert cache.client(first) is client and cache.builds == 1
    moved = kube.Target("s", 1, "http://cluster.test:6443", None, kube.Credentials, "127.0.0.2")
    assert cache.client(moved).configuration.host == "http://127.0.0.2:6443" and cache.builds == 2
    assert len(cache) == 1, "still one client per server"
    cache.clear()

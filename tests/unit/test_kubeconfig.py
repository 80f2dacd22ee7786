"""The strict kubeconfig model: safe YAML, wrong shapes named, never echoed; the Configuration built from it."""

from __future__ import annotations

import base64
import datetime
import json
import os
import stat
from typing import Any

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.api.errors import status_of
from shared.errors import ValidationFailed
from shared.providers import kubeconfig
from shared.providers import kubernetes as kube
from shared.providers.kubeconfig import KubeconfigInvalid


def _pem_pair() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cloudplane-test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem


CERT, KEY = _pem_pair()


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def document(server: str = "https://k8s.example.com:6443", **cluster: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "main",
        "clusters": [{"name": "c", "cluster": {"server": server, **cluster}}],
        "users": [{"name": "u", "user": {"token": "t0ken"}}],
        "contexts": [{"name": "main", "context": {"cluster": "c", "user": "u", "namespace": "ml"}}],
    }


def refusal(text: str, context: str | None = None) -> KubeconfigInvalid:
    with pytest.raises(KubeconfigInvalid) as refused:
        kubeconfig.parse(text, context)
    error = refused.value
    assert status_of(error) == 422 and error.code in ("BAD_KUBECONFIG", "KUBECONFIG_UNSUPPORTED")
    return error


def test_a_supported_kubeconfig_becomes_the_model() -> None:
    config = document(**{"certificate-authority-data": b64(CERT), "tls-server-name": "api.internal"})
    config["users"][0]["user"] = {"client-certificate-data": b64(CERT), "client-key-data": b64(KEY)}
    model = kubeconfig.parse(yaml.safe_dump(config))
    assert model.context == "main" and model.cluster.server == "https://k8s.example.com:6443"
    assert model.cluster.ca_pem == CERT and model.cluster.tls_server_name == "api.internal"
    assert model.user.client_certificate_pem == CERT and model.user.client_key_pem == KEY
    assert KEY not in repr(model), "credentials never print"
    assert kubeconfig.parse(json.dumps(document()), "main").user.token == "t0ken", "JSON is YAML too"


BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("contexts: 5", "contexts"),
        ('users: ["x"]', "users[0]"),
        ("clusters: [1, 2]", "clusters[0]"),
        ("clusters: {c: {server: x}}", "clusters"),
        ("clusters: [{name: 5, cluster: {server: 'http://x'}}]", "clusters[0].name"),
        ("clusters: [{name: c, cluster: [server]}]", "clusters[0].cluster"),
        ("clusters: [{name: c, cluster: {server: 5}}]", "clusters[0].cluster.server"),
        ("clusters: [{name: c, cluster: {server: a}}, {name: c, cluster: {server: b}}]", "clusters[1].name"),
        ("users: [{name: u, user: {token: [1]}}]", "users[0].user.token"),
        ("contexts: [{name: m, context: {cluster: [c]}}]\ncurrent-context: m", "contexts[0].context.cluster"),
        ("- a list", "kubeconfig"),
        ("just text", "kubeconfig"),
        ("current-context: 5\ncontexts: []", "current-context"),
    ],
)
def test_wrong_shapes_name_the_field(text: str, field: str) -> None:
    error = refusal(text)
    assert error.code == "BAD_KUBECONFIG" and error.details == {"field": field}
    assert field in error.message


def test_names_must_be_strings_so_5_and_quoted_5_are_not_confused() -> None:
    config = document()
    config["clusters"] = [
        {"name": "5", "cluster": {"server": "https://checked.example.com"}},
        {"name": 5, "cluster": {"server": "http://127.0.0.1:1"}},
    ]
    config["contexts"][0]["context"]["cluster"] = 5
    assert refusal(yaml.safe_dump(config)).details == {"field": "clusters[1].name"}


@pytest.mark.parametrize(
    ("user", "field"),
    [
        ({"exec": {"command": "/bin/sh"}}, "users[0].user.exec"),
        ({"auth-provider": {"name": "gcp"}}, "users[0].user.auth-provider"),
        ({"tokenFile": "/etc/shadow"}, "users[0].user.tokenFile"),
        ({"client-key": "/etc/key"}, "users[0].user.client-key"),
        ({"username": "u", "password": "p"}, "users[0].user"),
        ({"as": "admin"}, "users[0].user.as"),
        ({"some-new-thing": "x"}, "users[0].user"),
    ],
)
def test_commands_files_and_unknown_user_fields_are_unsupported(user: dict[str, Any], field: str) -> None:
    config = document()
    config["users"][0]["user"] = user
    error = refusal(yaml.safe_dump(config))
    assert error.code == "KUBECONFIG_UNSUPPORTED" and error.details["field"].startswith(field)
    assert "some-new-thing" not in error.message, "an unknown key is tenant text: not echoed"


def test_aliases_anchors_and_depth_are_refused_before_expansion() -> None:
    assert len(BOMB) < 400
    assert "alias" in refusal(BOMB).message or "anchor" in refusal(BOMB).message
    assert "anchor" in refusal("a: &x 1\nb: 2").message
    assert "alias" in refusal("a: *x").message
    deep = refusal("[" * 5000 + "]" * 5000)
    assert "nested" in deep.message and len(deep.message) < 100
    assert "nested" in refusal("a:\n" + "".join("  " * i + "- \n" for i in range(1, 200))).message


def test_the_missing_context_is_named_not_echoed() -> None:
    evil = "<script>" + "x" * 5000
    error = refusal(yaml.safe_dump(document()), evil)
    assert error.details == {"field": "context"} and "<script>" not in error.message and len(error.message) < 200
    config = document()
    config["current-context"] = evil
    error = refusal(yaml.safe_dump(config))
    assert error.details == {"field": "current-context"} and "<script>" not in error.message


def test_data_fields_are_checked() -> None:
    assert refusal(yaml.safe_dump(document(**{"certificate-authority-data": "not base64!"}))).details == {
        "field": "clusters[0].cluster.certificate-authority-data"
    }
    with_key = document(**{"certificate-authority-data": b64(CERT + KEY)})
    assert "private key" in refusal(yaml.safe_dump(with_key)).message
    half = document()
    half["users"][0]["user"] = {"client-certificate-data": b64(CERT)}
    assert refusal(yaml.safe_dump(half)).details == {"field": "users[0].user"}
    assert refusal(yaml.safe_dump(document(**{"insecure-skip-tls-verify": "yes"}))).details == {
        "field": "clusters[0].cluster.insecure-skip-tls-verify"
    }


# ---------------------------------------------------------------- properties

_MARK = "ZQXJ"  # a marker no message of ours contains: an echo of input would show it

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12).map(lambda text: _MARK + text),
    st.sampled_from(["main", "c", "u", "https://k8s.example.com", "http://127.0.0.1:1", b64(CERT)]),
)
_keys = st.one_of(
    st.sampled_from(
        [
            "name",
            "cluster",
            "user",
            "context",
            "clusters",
            "users",
            "contexts",
            "current-context",
            "server",
            "token",
            "exec",
            "proxy-url",
            "certificate-authority-data",
            "client-key-data",
            "tls-server-name",
            "insecure-skip-tls-verify",
        ]
    ),
    st.text(max_size=8).map(lambda text: _MARK + text),
)
_trees = st.recursive(
    _scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=5)),
    max_leaves=30,
)


def _never_echoes(text: str, context: str | None = None) -> None:
    try:
        kubeconfig.parse(text, context)
    except ValidationFailed as error:
        assert isinstance(error, KubeconfigInvalid) and status_of(error) == 422
        assert _MARK not in error.message and _MARK not in json.dumps(error.details)
        assert len(error.message) < 300


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_trees)
def test_any_document_is_a_model_or_a_named_422(tree: Any) -> None:
    _never_echoes(json.dumps(tree))
    _never_echoes(yaml.safe_dump(tree))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300).map(lambda text: _MARK + text), st.none() | st.text(max_size=20).map(lambda t: _MARK + t))
def test_any_text_is_a_model_or_a_named_422(text: str, context: str | None) -> None:
    _never_echoes(text, context)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["[", "]", "{", "}", "&a ", "*a", "!!binary ", "? ", ": ", "- ", "\n", "  ", ",", "'", '"']),
        max_size=60,
    )
)
def test_yaml_punctuation_soup_is_a_422(parts: list[str]) -> None:
    _never_echoes(_MARK + "".join(parts))


def test_a_strictly_valid_tree_builds_the_model() -> None:
    assert kubeconfig.parse(yaml.safe_dump(document())).cluster.server == "https://k8s.example.com:6443"


# ---------------------------------------------------------------- the client's Configuration


def _configuration(config: dict[str, Any], address: str | None, check: Any = None) -> Any:
    target = kube.Target(
        "s",
        1,
        config["clusters"][0]["cluster"]["server"],
        None,
        lambda: kube.Credentials(kubeconfig=yaml.safe_dump(config)),
        address,
        check,
    )
    return kube._configuration(target, target.load())


def test_the_configuration_connects_to_the_checked_address_and_verifies_the_name() -> None:
    config = document(**{"certificate-authority-data": b64(CERT)})
    config["users"][0]["user"] = {"client-certificate-data": b64(CERT), "client-key-data": b64(KEY)}
    built = _configuration(config, "203.0.113.7")
    assert built.host == "https://203.0.113.7:6443"
    assert built.tls_server_name == "k8s.example.com" and built.verify_ssl is True
    assert built.proxy in ("", None) and built.retries == 0
    assert open(built.ssl_ca_cert).read() == CERT
    assert open(built.cert_file).read() == CERT and open(built.key_file).read() == KEY
    assert stat.S_IMODE(os.stat(built.key_file).st_mode) == 0o600, "the key file is the process's own"
    assert built.api_key == {}

    config["clusters"][0]["cluster"]["tls-server-name"] = "api.internal"
    assert _configuration(config, "203.0.113.7").tls_server_name == "api.internal"
    config["clusters"][0]["cluster"]["server"] = "https://[2001:db8::1]:6443"
    built = _configuration(config, None)
    assert built.host == "https://[2001:db8::1]:6443" and built.tls_server_name == "api.internal"


def test_a_name_without_a_checked_address_or_an_unchecked_proxy_builds_nothing() -> None:
    with pytest.raises(kube.ClusterError):
        _configuration(document(), None)
    proxied = document(**{"proxy-url": "http://proxy.example:3128"})
    with pytest.raises(kube.ClusterError) as unchecked:
        _configuration(proxied, "203.0.113.7")
    assert unchecked.value.reason == "ENDPOINT_NOT_ALLOWED"
    built = _configuration(proxied, "203.0.113.7", check=lambda url: "198.51.100.9")
    assert built.proxy == "http://198.51.100.9:3128"


def test_the_environment_proxy_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:9")
    assert not _configuration(document(), "203.0.113.7").proxy

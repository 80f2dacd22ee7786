"""A strict model of the kubeconfig Cloudplane supports, parsed safely from untrusted YAML.

A tenant's kubeconfig is untrusted input. It is read with a YAML loader that refuses
aliases and anchors and bounds the nesting depth while composing, before any Python
object is built (a 400-byte alias bomb expands to gigabytes otherwise), and then
validated into ``Kubeconfig``: string names, unique in each list; the chosen context's
one cluster (``server``, ``certificate-authority-data``, ``tls-server-name``,
``insecure-skip-tls-verify``, ``proxy-url``) and one user (``token``, or
``client-certificate-data`` with ``client-key-data``). Anything that would make the app
run a command or read a file (``exec``, ``auth-provider``, ``tokenFile``, file paths) or
that it would not honour (username/password, impersonation) is refused. The cluster client
is built from this model only (``shared.providers.kubernetes``), so it can connect nowhere
the address check did not look.

Every refusal is a 422 (``BAD_KUBECONFIG`` or ``KUBECONFIG_UNSUPPORTED``) whose message and
``details.field`` name the place (``clusters[0].name``), never the value found there.
``yaml`` is imported on first use, as the rest of the providers do with heavy imports.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from shared.errors import ValidationFailed

MAX_DEPTH = 32
MAX_NAME_LENGTH = 253

_CLUSTER_KEYS = frozenset(
    {
        "server",
        "certificate-authority-data",
        "tls-server-name",
        "insecure-skip-tls-verify",
        "proxy-url",
        "disable-compression",
        "extensions",
    }
)
_USER_KEYS = frozenset({"token", "client-certificate-data", "client-key-data", "extensions"})
_CONTEXT_KEYS = frozenset({"cluster", "user", "namespace", "extensions"})
# Known kubeconfig fields Cloudplane refuses: named in the error since they are not tenant text.
_REFUSED = {
    "exec": "runs a command on this app's host",
    "auth-provider": "runs a plug-in on this app's host",
    "tokenFile": "reads a file on this app's host",
    "client-certificate": "reads a file on this app's host; embed it as client-certificate-data",
    "client-key": "reads a file on this app's host; embed it as client-key-data",
    "certificate-authority": "reads a file on this app's host; embed it as certificate-authority-data",
    "username": "basic authentication is not supported; use a token or a client certificate",
    "password": "basic authentication is not supported; use a token or a client certificate",
    "as": "impersonation is not supported",
    "as-uid": "impersonation is not supported",
    "as-groups": "impersonation is not supported",
    "as-user-extra": "impersonation is not supported",
}


class KubeconfigInvalid(ValidationFailed):
    """422 for a kubeconfig Cloudplane cannot use; ``details.field`` names where, never what."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "BAD_KUBECONFIG") -> None:
        super().__init__(message, code=code, details={"field": field} if field else {})
        self.field = field


@dataclass(frozen=True)
class Cluster:
    server: str
    ca_pem: str | None = None
    tls_server_name: str | None = None
    insecure_skip_tls_verify: bool = False
    proxy_url: str | None = None


@dataclass(frozen=True)
class User:
    """Embedded credentials only; never printed."""

    token: str | None = None
    client_certificate_pem: str | None = None
    client_key_pem: str | None = field(default=None)

    def __repr__(self) -> str:
        return "User(<redacted>)"


@dataclass(frozen=True)
class Kubeconfig:
    """The one context Cloudplane uses: its name, cluster and user."""

    context: str
    cluster: Cluster
    user: User


# ---------------------------------------------------------------- safe YAML


@cache
def _loader() -> type[Any]:
    """A ``SafeLoader`` whose compose step refuses aliases and anchors and bounds the depth."""
    import yaml
    from yaml.events import AliasEvent

    class StrictLoader(yaml.SafeLoader):  # type: ignore[misc]
        _depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(AliasEvent):
                raise KubeconfigInvalid("The kubeconfig uses YAML aliases, which are not supported.")
            if self.peek_event().anchor is not None:
                raise KubeconfigInvalid("The kubeconfig uses YAML anchors, which are not supported.")
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise KubeconfigInvalid(f"The kubeconfig is nested deeper than {MAX_DEPTH} levels.")
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

    return StrictLoader


def load_yaml(text: str) -> Any:
    """One YAML document as plain objects, or ``KubeconfigInvalid``; no alias, anchor or deep nesting."""
    import yaml

    loader = None
    try:
        loader = _loader()(text)  # the reader checks the characters here already
        return loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise KubeconfigInvalid(f"The kubeconfig is not valid YAML{where}.") from None
    except (RecursionError, ValueError, TypeError, OverflowError, MemoryError):
        # Constructors of odd scalars (timestamps, huge numbers) are not ours to trust either.
        raise KubeconfigInvalid("The kubeconfig is not valid YAML.") from None
    finally:
        if loader is not None:
            loader.dispose()


# ---------------------------------------------------------------- validation


def _map(value: Any, where: str) -> Mapping[Any, Any]:
    if not isinstance(value, dict):
        raise KubeconfigInvalid(f"{where} must be a mapping.", field=where)
    return value


def _string(value: Any, where: str, *, limit: int = 8192, empty: bool = False) -> str:
    if not isinstance(value, str) or (not value and not empty):
        raise KubeconfigInvalid(f"{where} must be a non-empty string.", field=where)
    if len(value) > limit or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        raise KubeconfigInvalid(f"{where} is too long or holds control characters.", field=where)
    return value


def _only(body: Mapping[Any, Any], allowed: frozenset[str], where: str) -> None:
    for key in body:
        if key in allowed:
            continue
        if isinstance(key, str) and key in _REFUSED:
            raise KubeconfigInvalid(
                f"{where}.{key} is not supported: it {_REFUSED[key]}.",
                field=f"{where}.{key}",
                code="KUBECONFIG_UNSUPPORTED",
            )
        raise KubeconfigInvalid(
            f"{where} has a field Cloudplane does not support.", field=where, code="KUBECONFIG_UNSUPPORTED"
        )


def _entries(document: Mapping[Any, Any], kind: str) -> dict[str, tuple[str, Mapping[Any, Any]]]:
    """``clusters``/``users``/``contexts`` by name: each ``{name: str, <kind>: mapping}``, names unique."""
    items = document.get(f"{kind}s")
    if items is None:
        return {}
    if not isinstance(items, list):
        raise KubeconfigInvalid(f"{kind}s must be a list.", field=f"{kind}s")
    found: dict[str, tuple[str, Mapping[Any, Any]]] = {}
    for index, item in enumerate(items):
        where = f"{kind}s[{index}]"
        entry = _map(item, where)
        name = _string(entry.get("name"), f"{where}.name", limit=MAX_NAME_LENGTH)
        if name in found:
            raise KubeconfigInvalid(f"{where}.name repeats an earlier {kind}'s name.", field=f"{where}.name")
        for key in entry:
            if key not in ("name", kind):
                raise KubeconfigInvalid(
                    f"{where} has a field Cloudplane does not support.", field=where, code="KUBECONFIG_UNSUPPORTED"
                )
        body = _map(entry.get(kind), f"{where}.{kind}")
        found[name] = (f"{where}.{kind}", body)
    return found


def _pem(value: Any, where: str, marker: str) -> str:
    text = _string(value, where, limit=64_000)
    try:
        decoded = base64.b64decode(text, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        raise KubeconfigInvalid(f"{where} must be base64 of PEM data.", field=where) from None
    if f"-----BEGIN {marker}" not in decoded.replace("-----BEGIN RSA ", "-----BEGIN ").replace(
        "-----BEGIN EC ", "-----BEGIN "
    ):
        raise KubeconfigInvalid(f"{where} must be base64 of PEM data.", field=where)
    if marker == "CERTIFICATE" and "PRIVATE KEY" in decoded:
        raise KubeconfigInvalid(f"{where} must hold certificates only, never a private key.", field=where)
    return decoded


def _cluster(where: str, body: Mapping[Any, Any]) -> Cluster:
    _only(body, _CLUSTER_KEYS, where)
    insecure = body.get("insecure-skip-tls-verify", False)
    if not isinstance(insecure, bool):
        raise KubeconfigInvalid(
            f"{where}.insecure-skip-tls-verify must be true or false.", field=f"{where}.insecure-skip-tls-verify"
        )
    if not isinstance(body.get("disable-compression", False), bool):
        raise KubeconfigInvalid(
            f"{where}.disable-compression must be true or false.", field=f"{where}.disable-compression"
        )
    ca = body.get("certificate-authority-data")
    tls_name = body.get("tls-server-name")
    proxy = body.get("proxy-url")
    return Cluster(
        server=_string(body.get("server"), f"{where}.server", limit=2048).rstrip("/"),
        ca_pem=None if ca is None else _pem(ca, f"{where}.certificate-authority-data", "CERTIFICATE"),
        tls_server_name=None if tls_name is None else _string(tls_name, f"{where}.tls-server-name", limit=253),
        insecure_skip_tls_verify=insecure,
        proxy_url=None if proxy is None else _string(proxy, f"{where}.proxy-url", limit=2048),
    )


def _user(where: str, body: Mapping[Any, Any]) -> User:
    _only(body, _USER_KEYS, where)
    token, cert, key = body.get("token"), body.get("client-certificate-data"), body.get("client-key-data")
    if (cert is None) != (key is None):
        raise KubeconfigInvalid(
            f"{where} needs both client-certificate-data and client-key-data, or neither.", field=where
        )
    return User(
        token=None if token is None else _string(token, f"{where}.token"),
        client_certificate_pem=None if cert is None else _pem(cert, f"{where}.client-certificate-data", "CERTIFICATE"),
        client_key_pem=None if key is None else _pem(key, f"{where}.client-key-data", "PRIVATE KEY"),
    )


def parse(text: str, context: str | None = None) -> Kubeconfig:
    """The kubeconfig's ``context`` (default: its ``current-context``) as a ``Kubeconfig``.

    Every cluster, user and context entry is validated, not only the chosen ones, so a
    kubeconfig Cloudplane accepts holds nothing it would refuse.
    """
    document = _map(load_yaml(text), "kubeconfig")
    clusters = {name: _cluster(where, body) for name, (where, body) in _entries(document, "cluster").items()}
    users = {name: _user(where, body) for name, (where, body) in _entries(document, "user").items()}
    contexts = _entries(document, "context")
    for where, body in contexts.values():
        _only(body, _CONTEXT_KEYS, where)
    if context is not None:
        name, field_name = context, "context"
    else:
        current = document.get("current-context")
        if current is None or current == "":
            raise KubeconfigInvalid("The kubeconfig has no current-context; give context.", field="current-context")
        name, field_name = _string(current, "current-context", limit=MAX_NAME_LENGTH), "current-context"
    if name not in contexts:
        raise KubeconfigInvalid(f"The kubeconfig has no context named as {field_name} says.", field=field_name)
    where, body = contexts[name]
    cluster_name = _string(body.get("cluster"), f"{where}.cluster", limit=MAX_NAME_LENGTH)
    if cluster_name not in clusters:
        raise KubeconfigInvalid(f"{where}.cluster names no cluster in the kubeconfig.", field=f"{where}.cluster")
    user = User()
    if body.get("user") is not None:
        user_name = _string(body.get("user"), f"{where}.user", limit=MAX_NAME_LENGTH)
        if user_name not in users:
            raise KubeconfigInvalid(f"{where}.user names no user in the kubeconfig.", field=f"{where}.user")
        user = users[user_name]
    if body.get("namespace") is not None:
        _string(body.get("namespace"), f"{where}.namespace", limit=MAX_NAME_LENGTH)
    return Kubeconfig(context=name, cluster=clusters[cluster_name], user=user)

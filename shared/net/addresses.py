"""Which endpoints a tenant may point Cloudplane at.

Link-local and cloud metadata addresses are refused always; loopback and private ranges
are refused unless ``CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS`` is set (local development and
tests). Host names are resolved (with a short timeout) and every address they resolve to
must pass, so a DNS name cannot smuggle in a forbidden address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from urllib.parse import urlsplit

from shared.api.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Iterable[str]]

ALLOWED_SCHEMES = ("http", "https")

# Never reachable, whatever the settings: link-local (incl. 169.254.169.254, the AWS/Azure/GCP
# metadata address), the AWS IPv6 metadata address, Alibaba's metadata address, Azure's
# WireServer, and addresses that are not a single host.
ALWAYS_BLOCKED = tuple(
    ipaddress.ip_network(net)
    for net in (
        "169.254.0.0/16",
        "fe80::/10",
        "fd00:ec2::254/128",
        "100.100.100.200/32",
        "168.63.129.16/32",
        "0.0.0.0/8",
        "::/128",
        "224.0.0.0/4",
        "ff00::/8",
        "255.255.255.255/32",
    )
)
METADATA_HOSTS = frozenset({"metadata", "metadata.google.internal", "metadata.azure.internal", "instance-data"})

_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="resolve")


class EndpointNotAllowed(ValidationFailed):
    code = "ENDPOINT_NOT_ALLOWED"

    def __init__(self, message: str, *, rule: str, host: str | None, address: str | None = None) -> None:
        details: dict[str, str | None] = {"rule": rule, "host": host}
        if address is not None:
            details["address"] = address
        super().__init__(message, details=dict(details))
        self.rule = rule


def _normalise(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def classify(address: IPAddress) -> str | None:
    """The rule ``address`` breaks: ``link_local_or_metadata``, ``private_network`` or None."""
    address = _normalise(address)
    if any(address in net for net in ALWAYS_BLOCKED if net.version == address.version):
        return "link_local_or_metadata"
    if (
        address.is_loopback
        or address.is_private
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in ipaddress.ip_network("100.64.0.0/10"))
    ):
        return "private_network"
    return None


def system_resolver(timeout: float) -> Resolver:
    def resolve(host: str) -> list[str]:
        future = _pool.submit(socket.getaddrinfo, host, None, 0, socket.SOCK_STREAM)
        try:
            infos = future.result(timeout=timeout)
        except FutureTimeout:
            raise OSError(f"resolving {host} took longer than {timeout} s") from None
        return sorted({str(info[4][0]).split("%")[0] for info in infos})

    return resolve


def check_address(address: IPAddress, *, allow_private: bool, host: str | None = None) -> None:
    rule = classify(address)
    if rule == "link_local_or_metadata":
        raise EndpointNotAllowed(
            f"{address} is a link-local or cloud metadata address; endpoints may never use one.",
            rule=rule,
            host=host,
            address=str(address),
        )
    if rule == "private_network" and not allow_private:
        raise EndpointNotAllowed(
            f"{address} is a loopback or private address; this deployment does not allow private endpoints.",
            rule=rule,
            host=host,
            address=str(address),
        )


def check_endpoint(
    url: str, *, allow_private: bool, resolver: Resolver | None = None, resolve_timeout: float = 2.0
) -> None:
    """Raise ``EndpointNotAllowed`` (422, ``ENDPOINT_NOT_ALLOWED``) unless ``url`` may be used."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise EndpointNotAllowed("The endpoint is not a valid URL.", rule="invalid_url", host=None) from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise EndpointNotAllowed("Only http and https endpoints are allowed.", rule="scheme", host=host)
    if not host:
        raise EndpointNotAllowed("The endpoint has no host.", rule="invalid_url", host=None)
    if parts.username is not None or parts.password is not None:
        raise EndpointNotAllowed(
            "Put credentials in the token or kubeconfig, not in the URL.", rule="userinfo_in_url", host=host
        )
    if host.rstrip(".").lower() in METADATA_HOSTS:
        raise EndpointNotAllowed(
            f"{host} is a cloud metadata host; endpoints may never use one.", rule="link_local_or_metadata", host=host
        )
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        check_address(literal, allow_private=allow_private, host=host)
        return
    resolve = resolver or system_resolver(resolve_timeout)
    try:
        addresses = [ipaddress.ip_address(a) for a in resolve(host)]
    except (OSError, ValueError, UnicodeError):
        addresses = []
    if not addresses:
        raise EndpointNotAllowed(f"The host {host} does not resolve.", rule="unresolvable", host=host)
    for address in addresses:
        check_address(address, allow_private=allow_private, host=host)

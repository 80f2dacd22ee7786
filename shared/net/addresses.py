"""Which endpoints a tenant may point Cloudplane at, and the one address to connect to.

Link-local and cloud metadata addresses are refused always; loopback and private ranges
are refused unless ``CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS`` is set (local development and
tests); when ``CLOUDPLANE_ALLOWED_NETWORKS`` is set, every address must also lie inside one
of its networks. IPv6 addresses that embed an IPv4 address (mapped, compatible, 6to4, Teredo,
NAT64, ISATAP) are judged by the IPv4 they embed as well, so ``[2002:a9fe:a9fe::1]`` is the
metadata address it routes to. Host names are resolved once (with a short timeout), every
address they resolve to must pass, and the caller connects to the first of those checked
addresses (``Checked.address``), never to a second resolution of the name: a DNS answer that
changes between the check and the connection (rebinding) cannot move the connection.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

from shared.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
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
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
METADATA_HOSTS = frozenset({"metadata", "metadata.google.internal", "metadata.azure.internal", "instance-data"})

# IPv6 ranges whose addresses carry an IPv4 address that traffic is delivered to.
_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible (RFC 4291)
_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT IPv4-translated (RFC 2765)
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215, any RFC 6052 prefix length
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")
_ISATAP_IDS = (0x00005EFE, 0x02005EFE)  # interface id ``[02]00:5efe:a.b.c.d`` (RFC 5214)

# A host that is only numbers and dots is an IPv4 address to the C resolver in any spelling
# (``2852039166``, ``0xa9.0xfe.0xa9.0xfe``, ``0251.0376.0251.0376``, ``169.254.43518``);
# only the canonical dotted quad is accepted, so the check and the connection agree.
_NUMERIC_LABELS = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+))*\.?$", re.IGNORECASE)

_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="resolve")

_SEVERITY = {None: 0, "private_network": 1, "link_local_or_metadata": 2}


class EndpointNotAllowed(ValidationFailed):
    """422 ``ENDPOINT_NOT_ALLOWED``; ``details.rule`` names the rule, ``details.field`` the input."""

    code = "ENDPOINT_NOT_ALLOWED"

    def __init__(self, message: str, *, rule: str, field: str | None = None) -> None:
        details = {"rule": rule} | ({"field": field} if field else {})
        super().__init__(message, details=details)
        self.rule = rule
        self.field = field


@dataclass(frozen=True)
class Checked:
    """An endpoint that passed: ``address`` is the checked IP to connect to (never the name again)."""

    url: str
    scheme: str
    host: str
    port: int | None
    address: str
    addresses: tuple[str, ...]


def _plain(address: IPAddress) -> IPAddress:
    """Without a zone id, and an IPv4-mapped address as the IPv4 address it is."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id is not None:
            address = ipaddress.IPv6Address(int(address))
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
    return address


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address ``address`` carries in a form some network delivers to."""
    value = int(address)
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if (address in _COMPATIBLE and value > 1) or address in _TRANSLATED or address in _NAT64_WELL_KNOWN:
        found.append(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)  # (server, client), the client already un-XOR-ed
    if address in _NAT64_LOCAL:
        # RFC 6052 places the IPv4 bits after a /48, /56, /64 or /96 prefix, skipping bits 64-71.
        octets = address.packed
        for start in (6, 7, 9, 12):
            taken = [octets[i] for i in range(start, 16) if i != 8][:4]
            found.append(ipaddress.IPv4Address(bytes(taken)))
    if (value >> 32) & 0xFFFFFFFF in _ISATAP_IDS:
        found.append(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    return found


def _own_class(address: IPAddress) -> str | None:
    if any(address in net for net in ALWAYS_BLOCKED if net.version == address.version):
        return "link_local_or_metadata"
    if (
        address.is_loopback
        or address.is_private
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv4Address) and address in _SHARED_ADDRESS_SPACE)
    ):
        return "private_network"
    return None


def classify(address: IPAddress) -> str | None:
    """The rule ``address`` breaks: ``link_local_or_metadata``, ``private_network`` or None.

    An address that embeds IPv4 breaks the worst rule of itself and what it embeds; the
    NAT64 local-use range (``64:ff9b:1::/48``) is private at least, as its name says.
    """
    address = _plain(address)
    rules = [_own_class(address)]
    if isinstance(address, ipaddress.IPv6Address):
        rules += [_own_class(inner) for inner in embedded_ipv4(address)]
        if address in _NAT64_LOCAL:
            rules.append("private_network")
    return max(rules, key=lambda rule: _SEVERITY[rule])


def system_resolver(timeout: float) -> Resolver:
    def resolve(host: str) -> list[str]:
        future = _pool.submit(socket.getaddrinfo, host, None, 0, socket.SOCK_STREAM)
        try:
            infos = future.result(timeout=timeout)
        except FutureTimeout:
            raise OSError(f"resolving {host} took longer than {timeout} s") from None
        # In the resolver's (RFC 6724) order, which is the order a client would try them in.
        return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))

    return resolve


def check_address(
    address: IPAddress,
    *,
    allow_private: bool,
    allowed_networks: Sequence[IPNetwork] = (),
    field: str | None = None,
) -> None:
    """Raise ``EndpointNotAllowed`` unless a connection to ``address`` is allowed.

    Order: the always-blocked ranges, then the allow-list (exact membership of the address
    connected to), then the private rule; the allow-list never lifts the private rule.
    """
    rule = classify(address)
    if rule == "link_local_or_metadata":
        raise EndpointNotAllowed(
            "The endpoint is a link-local or cloud metadata address; endpoints may never use one.",
            rule=rule,
            field=field,
        )
    if allowed_networks:
        plain = _plain(address)
        if not any(plain in net for net in allowed_networks if net.version == plain.version):
            raise EndpointNotAllowed(
                "The endpoint's address is outside the networks this deployment allows.",
                rule="not_in_allowed_networks",
                field=field,
            )
    if rule == "private_network" and not allow_private:
        raise EndpointNotAllowed(
            "The endpoint is a loopback or private address; this deployment does not allow private endpoints.",
            rule=rule,
            field=field,
        )


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_endpoint(
    url: str,
    *,
    allow_private: bool,
    resolver: Resolver | None = None,
    resolve_timeout: float = 2.0,
    allowed_networks: Sequence[IPNetwork] = (),
    field: str = "api_url",
) -> Checked:
    """The checked endpoint, or ``EndpointNotAllowed`` (422, ``ENDPOINT_NOT_ALLOWED``).

    Neither the message nor ``details`` carries the URL, host or address (a tenant's input,
    or what an internal name resolves to); ``details`` names the ``rule`` and the ``field``.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise EndpointNotAllowed("The endpoint is not a valid URL.", rule="invalid_url", field=field) from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise EndpointNotAllowed("Only http and https endpoints are allowed.", rule="scheme", field=field)
    if not host:
        raise EndpointNotAllowed("The endpoint has no host.", rule="invalid_url", field=field)
    if not host.isascii() or any(ch in host for ch in " \t\r\n\\") or len(host) > 253 + 45:
        raise EndpointNotAllowed(
            "The endpoint's host is not a valid ASCII host name (use the punycode form).",
            rule="invalid_url",
            field=field,
        )
    if parts.username is not None or parts.password is not None:
        raise EndpointNotAllowed(
            "Put credentials in the token or kubeconfig, not in the URL.", rule="userinfo_in_url", field=field
        )
    if host.rstrip(".").lower() in METADATA_HOSTS:
        raise EndpointNotAllowed(
            "The endpoint is a cloud metadata host; endpoints may never use one.",
            rule="link_local_or_metadata",
            field=field,
        )
    literal = _literal(host)
    if literal is not None:
        check_address(literal, allow_private=allow_private, allowed_networks=allowed_networks, field=field)
        plain = str(_plain(literal))
        return Checked(url, parts.scheme.lower(), host, port, plain, (plain,))
    if _NUMERIC_LABELS.match(host):
        raise EndpointNotAllowed(
            "The endpoint's host is a numeric address in a non-canonical spelling; write it as a dotted quad.",
            rule="non_canonical_address",
            field=field,
        )
    resolve = resolver or system_resolver(resolve_timeout)
    try:
        addresses = [_plain(ipaddress.ip_address(a)) for a in resolve(host)]
    except (OSError, ValueError, UnicodeError):
        addresses = []
    if not addresses:
        raise EndpointNotAllowed("The endpoint's host does not resolve.", rule="unresolvable", field=field)
    for address in addresses:
        check_address(address, allow_private=allow_private, allowed_networks=allowed_networks, field=field)
    shown = tuple(dict.fromkeys(str(address) for address in addresses))
    return Checked(url, parts.scheme.lower(), host, port, shown[0], shown)

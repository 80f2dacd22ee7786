"""Address rules: every spelling of a refused address is refused, the allow-list is exact, the address is pinned."""

from __future__ import annotations

import ipaddress
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.api.errors import status_of
from shared.net.addresses import Checked, EndpointNotAllowed, check_endpoint, classify

LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
METADATA = ipaddress.IPv4Address("169.254.169.254")


def rule(
    url: str, *, allow_private: bool = True, networks: tuple = (), resolves_to: tuple[str, ...] = ()
) -> str | None:
    try:
        check_endpoint(url, allow_private=allow_private, allowed_networks=networks, resolver=lambda host: resolves_to)
    except EndpointNotAllowed as error:
        assert status_of(error) == 422 and error.details["rule"] == error.rule
        return error.rule
    return None


def ipv6_forms(v4: ipaddress.IPv4Address) -> dict[str, ipaddress.IPv6Address]:
    """Every IPv6 address that carries ``v4`` in a form some network delivers to it."""
    n = int(v4)
    packed = v4.packed
    return {
        "mapped": ipaddress.IPv6Address(0xFFFF << 32 | n),
        "compatible": ipaddress.IPv6Address(n),
        "translated": ipaddress.IPv6Address(0xFFFF << 48 | n),
        "6to4": ipaddress.IPv6Address(0x2002 << 112 | n << 80 | 1),
        "teredo": ipaddress.IPv6Address(
            0x20010000 << 96 | int(ipaddress.IPv4Address("65.54.227.120")) << 64 | (n ^ 0xFFFFFFFF)
        ),
        "nat64": ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | n),
        "nat64-local-48": ipaddress.IPv6Address(
            bytes.fromhex("0064ff9b0001") + packed[:2] + b"\x00" + packed[2:] + b"\x00" * 5
        ),
        "isatap": ipaddress.IPv6Address(int(ipaddress.IPv6Address("2001:4860::")) | 0x5EFE << 32 | n),
    }


def ipv4_spellings(v4: ipaddress.IPv4Address) -> list[str]:
    """How the C resolver (and so urllib3 and requests) also reads ``v4``: decimal, hex, octal, short forms."""
    n, octets = int(v4), v4.packed
    return [
        str(n),
        hex(n),
        "0" + oct(n)[2:],
        ".".join(hex(o) for o in octets),
        ".".join("0" + oct(o)[2:] for o in octets),
        f"{octets[0]}.{int.from_bytes(octets[1:], 'big')}",
        f"{octets[0]}.{octets[1]}.{int.from_bytes(octets[2:], 'big')}",
        str(v4) + ".",
        ".".join(f"{o:03d}" for o in octets),
    ]


@pytest.mark.parametrize("form", sorted(ipv6_forms(METADATA)))
def test_the_metadata_address_embedded_anywhere_is_metadata(form: str) -> None:
    address = ipv6_forms(METADATA)[form]
    assert classify(address) == "link_local_or_metadata", (form, address)
    assert rule(f"http://[{address}]/") == "link_local_or_metadata"


def test_the_issue_example_and_a_public_6to4_address() -> None:
    assert rule("http://[2002:a9fe:a9fe::1]/") == "link_local_or_metadata"
    assert classify(ipaddress.ip_address("2002:808:808::1")) is None, "6to4 of a public address is public"
    nat64_local = ipaddress.ip_address("64:ff9b:1:808:8:808:808:808")  # 8.8.8.8 in every RFC 6052 position
    assert classify(nat64_local) == "private_network", "NAT64 local-use is private at least"


def test_the_c_resolver_reads_these_spellings_as_the_address() -> None:
    for spelling in ipv4_spellings(METADATA)[:7]:
        assert socket.inet_aton(spelling) == METADATA.packed, spelling


_v4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
_refused_v4 = st.one_of(
    st.integers(0, 2**16 - 1).map(lambda n: ipaddress.IPv4Address(0xA9FE0000 | n)),  # link-local
    st.integers(0, 2**24 - 1).map(lambda n: ipaddress.IPv4Address(0x0A000000 | n)),  # 10/8
    st.integers(0, 2**24 - 1).map(lambda n: ipaddress.IPv4Address(0x7F000000 | n)),  # loopback
    st.integers(0, 2**20 - 1).map(lambda n: ipaddress.IPv4Address(0xAC100000 | n)),  # 172.16/12
    st.sampled_from([METADATA, ipaddress.IPv4Address("168.63.129.16"), ipaddress.IPv4Address("100.100.100.200")]),
)


@settings(max_examples=400, deadline=None)
@given(_refused_v4, st.sampled_from(["http", "https"]), st.none() | st.integers(1, 65535))
def test_every_spelling_of_a_refused_ipv4_address_is_refused(
    v4: ipaddress.IPv4Address, scheme: str, port: int | None
) -> None:
    """Refused with private endpoints refused; and none may slip past an allow-list of a public range."""
    suffix = f":{port}" if port else ""
    hosts = [*ipv4_spellings(v4), *(f"[{form}]" for form in ipv6_forms(v4).values())]
    hosts += [f"[{ipv6_forms(v4)['mapped']}%25eth0]", f"[{ipv6_forms(v4)['compatible']}%251]"]
    for host in hosts:
        url = f"{scheme}://{host}{suffix}/"
        # a name the injected resolver cannot resolve, so any pass would come from the spelling alone
        assert rule(url, allow_private=False) is not None, url
        assert rule(url, allow_private=True, networks=(ipaddress.ip_network("8.8.8.0/24"),)) is not None, url


@settings(max_examples=300, deadline=None)
@given(_v4, st.lists(st.sampled_from((*LOOPBACK, ipaddress.ip_network("10.1.0.0/16"))), min_size=1, max_size=3))
def test_allow_list_membership_is_exact(v4: ipaddress.IPv4Address, networks: list) -> None:
    inside = any(v4 in net for net in networks if net.version == 4)
    got = rule(f"https://{v4}:6443", networks=tuple(networks))
    if classify(v4) == "link_local_or_metadata":
        assert got == "link_local_or_metadata"
    elif inside:
        assert got is None
    else:
        assert got == "not_in_allowed_networks"
    # the same address reached by a name, and embedded in IPv6 (not the same address: outside)
    assert rule("https://cluster.test", networks=tuple(networks), resolves_to=(str(v4),)) == got
    sixtofour = ipv6_forms(v4)["6to4"]
    assert rule(f"https://[{sixtofour}]", networks=tuple(networks)) in (
        "not_in_allowed_networks",
        "link_local_or_metadata",
    )


def test_allow_list_never_lifts_the_private_rule_and_the_blocked_ranges() -> None:
    assert rule("http://127.0.0.1:1", allow_private=False, networks=LOOPBACK) == "private_network"
    assert rule("http://127.0.0.1:1", allow_private=True, networks=LOOPBACK) is None
    assert rule("http://[::1]:1", allow_private=True, networks=LOOPBACK) is None
    assert rule("http://[::ffff:127.0.0.1]:1", allow_private=True, networks=LOOPBACK) is None, "mapped is the same"
    link_local = (ipaddress.ip_network("169.254.0.0/16"),)
    assert rule("http://169.254.169.254/", allow_private=True, networks=link_local) == "link_local_or_metadata"
    assert rule("https://8.8.8.8", networks=LOOPBACK) == "not_in_allowed_networks"
    assert (
        rule("https://a.example", networks=LOOPBACK, resolves_to=("127.0.0.1", "8.8.8.8")) == "not_in_allowed_networks"
    )


def test_the_checked_address_is_what_the_client_connects_to() -> None:
    checked = check_endpoint(
        "https://cluster.test:6443/prefix", allow_private=True, resolver=lambda host: ["127.0.0.5", "::1"]
    )
    assert checked == Checked(
        "https://cluster.test:6443/prefix", "https", "cluster.test", 6443, "127.0.0.5", ("127.0.0.5", "::1")
    )
    literal = check_endpoint("http://[::ffff:127.0.0.1]:80", allow_private=True)
    assert literal.address == "127.0.0.1"


def test_refusals_never_echo_the_host() -> None:
    for url in ("http://evil-ZQXJ.example/", "http://2852039166/", "ftp://ZQXJ/", "http://ZQXJ:x@a/"):
        with pytest.raises(EndpointNotAllowed) as refused:
            check_endpoint(url, allow_private=False, resolver=lambda host: ["10.0.0.1"])
        shown = refused.value.message + str(refused.value.details)
        assert "ZQXJ" not in shown and "2852039166" not in shown

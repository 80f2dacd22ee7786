"""A guard that keeps an in-process run on this machine: no connection or name lookup off loopback.

Fuzzing generates cluster URLs at random, and the app resolves and may connect to them.
``sys.addaudithook`` sees every ``socket.connect`` and ``socket.getaddrinfo`` made from
Python in this process (the app's storage SDK, the Kubernetes client, the address rules'
resolver). While the guard is armed, a connection to a non-loopback address is refused
before it is made and recorded as a violation (the run must fail), and a lookup of a name
that is not a loopback literal or ``localhost`` is refused before a DNS query leaves the
machine and counted (the app answers "does not resolve", which is its documented
behaviour for such a name). An audit hook cannot be removed, so it is installed once and
armed or disarmed around a run.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: Any) -> bool:
    """Whether ``host`` (an address literal or a name) is a loopback address or ``localhost``."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%")[0].lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass
class EgressRecord:
    """What the guard refused while armed."""

    connects: list[str] = field(default_factory=list)
    """Non-loopback connection attempts: each one is a bug in the test set-up or the app."""
    lookups: int = 0
    """Name lookups refused before they reached a DNS server (expected while fuzzing)."""


class _Guard:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.record: EgressRecord | None = None
        self.installed = False

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        record = self.record
        if record is None:
            return
        if event == "socket.connect":
            sock, address = args
            if getattr(sock, "family", None) not in (socket.AF_INET, socket.AF_INET6):
                return  # unix sockets and the like stay on this machine
            host = address[0] if isinstance(address, tuple) and address else address
            if not is_loopback(host):
                with self.lock:
                    record.connects.append(str(host))
                raise ConnectionRefusedError(f"egress guard: connection to {host!r} refused in tests")
        elif event == "socket.getaddrinfo":
            host = args[0]
            if host is None or is_loopback(host):
                return
            try:
                ipaddress.ip_address(str(host.decode() if isinstance(host, bytes) else host).strip("[]"))
            except ValueError:
                with self.lock:
                    record.lookups += 1
                raise socket.gaierror(socket.EAI_NONAME, "egress guard: name lookups are refused in tests") from None


_GUARD = _Guard()


@contextmanager
def loopback_only() -> Iterator[EgressRecord]:
    """Arm the guard for the block; the caller asserts ``record.connects == []`` after it."""
    if not _GUARD.installed:
        sys.addaudithook(_GUARD.hook)
        _GUARD.installed = True
    record = EgressRecord()
    _GUARD.record = record
    try:
        yield record
    finally:
        _GUARD.record = None

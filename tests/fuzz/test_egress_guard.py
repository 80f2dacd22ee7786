"""The egress guard the fuzz runs rely on: it refuses, and records, connections off loopback."""

from __future__ import annotations

import socket

import pytest

from tests.support.egress import is_loopback, loopback_only


def test_a_connection_off_loopback_is_refused_before_it_is_made_and_recorded() -> None:
    # 0.0.0.0 is not loopback to the guard, yet reaches only this machine should the guard fail.
    with loopback_only() as record, socket.socket() as sock:
        with pytest.raises(ConnectionRefusedError, match="egress guard"):
            sock.connect(("0.0.0.0", 9))
    assert record.connects == ["0.0.0.0"]


def test_loopback_connections_pass_and_nothing_is_guarded_once_disarmed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with loopback_only() as record, socket.create_connection(server.getsockname(), timeout=2):
            pass
    assert record.connects == []
    with socket.socket() as sock, pytest.raises(OSError) as refused:
        sock.connect(("0.0.0.0", 9))  # the kernel's refusal, not the guard's
    assert "egress guard" not in str(refused.value)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("10.0.0.4", False), ("0.0.0.0", False), ("::ffff:169.254.169.254", False), ("example.com", False)],
)
def test_loopback_is_told_apart(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback

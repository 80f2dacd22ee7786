"""Wait until every given TCP port on a host accepts connections (30 s at most).

usage: wait_port.py HOST PORT [PORT...]
"""

from __future__ import annotations

import socket
import sys
import time


def main(host: str, ports: list[int], timeout: float = 30.0) -> int:
    deadline = time.monotonic() + timeout
    pending = set(ports)
    while pending and time.monotonic() < deadline:
        for port in list(pending):
            with socket.socket() as sock:
                if sock.connect_ex((host, port)) == 0:
                    pending.discard(port)
        time.sleep(0.05)
    if pending:
        print(f"timed out waiting for {host}:{sorted(pending)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], [int(p) for p in sys.argv[2:]]))

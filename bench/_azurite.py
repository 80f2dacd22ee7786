"""A private Azurite for one benchmark run: disk mode, free ports, stopped on exit.

Private so the benchmark neither depends on nor disturbs a ``make run`` or a test session
on the usual ports; disk mode (``--location``) because that is how the app runs locally.
"""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from bench._common import ROOT

ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE = ROOT / "node_modules" / ".bin" / "azurite"
HOST = "127.0.0.1"


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports the OS calls free right now (held together so they differ).

    Public because the local app host (``bench._apphost``) picks its port the same way.
    """
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((HOST, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def listening(port: int) -> bool:
    """Whether something accepts connections on ``port``: how Azurite and the app host are awaited."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((HOST, port)) == 0


class Azurite:
    """``with Azurite() as azurite:`` starts it and waits for its ports; leaving stops it."""

    def __init__(self, start_timeout: float = 30.0) -> None:
        self.start_timeout = start_timeout
        self.blob_port, self.queue_port, self.table_port = free_ports(3)
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def connection_string(self) -> str:
        base = f"http://{HOST}:{{port}}/{ACCOUNT}"
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint={base.format(port=self.blob_port)};"
            f"QueueEndpoint={base.format(port=self.queue_port)};"
            f"TableEndpoint={base.format(port=self.table_port)};"
        )

    def start(self) -> None:
        if not AZURITE.exists():
            raise RuntimeError(f"{AZURITE} is missing: run `make setup` (npm install) first")
        self._dir = tempfile.TemporaryDirectory(prefix="cloudplane-bench-azurite-")
        location = Path(self._dir.name)
        log = (location / "azurite.log").open("wb")
        self._process = subprocess.Popen(
            [
                str(AZURITE),
                "--silent",
                "--disableTelemetry",
                "--skipApiVersionCheck",
                "--location", str(location / "data"),
                "--blobHost", HOST, "--blobPort", str(self.blob_port),
                "--queueHost", HOST, "--queuePort", str(self.queue_port),
                "--tableHost", HOST, "--tablePort", str(self.table_port),
            ],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()  # the child holds its own descriptor
        deadline = time.monotonic() + self.start_timeout
        ports = (self.blob_port, self.queue_port, self.table_port)
        while not all(listening(port) for port in ports):
            if self._process.poll() is not None or time.monotonic() > deadline:
                output = (location / "azurite.log").read_text(errors="replace")[-2000:]
                self.stop()
                raise RuntimeError(f"Azurite did not start on ports {ports}:\n{output}")
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop the Azurite this object started (by its own process handle) and remove its data."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait(timeout=10)
            self._process = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> Azurite:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

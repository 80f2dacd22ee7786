"""Azurite, the Azure Storage emulator, as a test fixture process.

Tests get their own Azurite on free ports, so the suite runs beside ``make run`` (which
uses the default ports) and never touches a developer's data. Disk persistence is used
because in-memory mode stalls during cleanup under queue-heavy load.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]
AZURITE = ROOT / "node_modules" / ".bin" / "azurite"
ACCOUNT_NAME = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
"""Azurite's well-known development account; public and identical on every machine."""


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it; a race is possible but rare)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts TCP connections on the port."""
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def tail(path: Path, lines: int = 40) -> str:
    """The end of a log file, for error messages that explain a failed start."""
    if not path.is_file():
        return "(no log)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


class Azurite:
    """One Azurite process (blob, queue and table) with data under ``location``.

    Ports are picked on the first start and kept, so a restart serves the same
    connection string and, being on disk, the same data.
    """

    def __init__(self, location: Path, ports: tuple[int, int, int] | None = None) -> None:
        self.location = location
        self.ports = ports or (free_port(), free_port(), free_port())
        self.log_path = location / "azurite.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def blob_port(self) -> int:
        return self.ports[0]

    @property
    def queue_port(self) -> int:
        return self.ports[1]

    @property
    def table_port(self) -> int:
        return self.ports[2]

    @property
    def connection_string(self) -> str:
        """An explicit-endpoint connection string (UseDevelopmentStorage would mean the default ports)."""
        base = "http://127.0.0.1"
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT_NAME};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint={base}:{self.blob_port}/{ACCOUNT_NAME};"
            f"QueueEndpoint={base}:{self.queue_port}/{ACCOUNT_NAME};"
            f"TableEndpoint={base}:{self.table_port}/{ACCOUNT_NAME};"
        )

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 30.0) -> None:
        """Launch Azurite and wait until all three services accept connections."""
        if self.running:
            return
        if not AZURITE.exists():
            raise RuntimeError(f"{AZURITE} is missing; run `npm install` at the project root")
        self.location.mkdir(parents=True, exist_ok=True)
        command = [str(AZURITE), "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location"]
        command.append(str(self.location))
        for service, port in zip(("blob", "queue", "table"), self.ports, strict=True):
            command += [f"--{service}Host", "127.0.0.1", f"--{service}Port", str(port)]
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.location)
        deadline = time.monotonic() + timeout
        while not all(port_open(port) for port in self.ports):
            if self._process.poll() is not None:
                raise RuntimeError(f"Azurite exited with {self._process.returncode}:\n{tail(self.log_path)}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Azurite did not listen on {self.ports} within {timeout}s:\n{tail(self.log_path)}")
            time.sleep(0.1)

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate and wait; kill if it does not stop in time."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.is_file() else ""

    def __enter__(self) -> Azurite:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

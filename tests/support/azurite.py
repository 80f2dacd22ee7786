"""Azurite, the Azure Storage emulator, as a test fixture process.

Tests get their own Azurite on free ports, so the suite runs beside ``make run`` (which
uses the default ports) and never touches a developer's data. Disk persistence is used
because in-memory mode stalls during cleanup under queue-heavy load.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]
AZURITE = ROOT / "node_modules" / ".bin" / "azurite"
ACCOUNT_NAME = "devstoreaccount1"
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
"""Azurite's well-known development account; public and identical on every machine."""


PORT_ATTEMPTS = 5
"""Starts tried on fresh ports when another process took a picked port first."""


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it). Another process may take it before
    ours binds it: starters check ``listens`` and retry on ``port_taken``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts TCP connections on the port."""
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def _listening_inodes(port: int) -> set[str]:
    """Socket inodes in the LISTEN state (0A) on ``port``, from the kernel's TCP tables."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text(encoding="ascii").splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])
    return inodes


def listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` itself listens on ``port``.

    With ports picked in advance, a plain connection test could greet another process that took
    the port first as our server. On Linux the socket's owner is checked; elsewhere only that
    something listens.
    """
    if not sys.platform.startswith("linux"):
        return port_open(port)
    inodes = _listening_inodes(port)
    if not inodes:
        return False
    fd_dir = Path(f"/proc/{pid}/fd")
    with contextlib.suppress(OSError):
        for fd in fd_dir.iterdir():
            with contextlib.suppress(OSError):
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return True
    return False


def port_taken(log_path: Path, offset: int) -> bool:
    """Whether the log written since ``offset`` says a port was already in use (Node and uvicorn wording)."""
    if not log_path.is_file():
        return False
    with log_path.open("rb") as log:
        log.seek(offset)
        return b"address already in use" in log.read().lower()


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

    def __init__(
        self, location: Path, ports: tuple[int, int, int] | None = None, accounts: tuple[str, ...] = ()
    ) -> None:
        """``accounts``: more account names served beside ``devstoreaccount1`` (Azurite's
        ``AZURITE_ACCOUNTS``), all with its well-known key; see ``connection_string_for``."""
        self.location = location
        self.accounts = (ACCOUNT_NAME, *accounts) if accounts else ()
        self._may_repick = ports is None  # until the first start: later the connection string is out
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
        return self.connection_string_for(ACCOUNT_NAME)

    def connection_string_for(self, account: str) -> str:
        """The connection string of one of the accounts this Azurite serves."""
        base = "http://127.0.0.1"
        return (
            f"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint={base}:{self.blob_port}/{account};"
            f"QueueEndpoint={base}:{self.queue_port}/{account};"
            f"TableEndpoint={base}:{self.table_port}/{account};"
        )

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 90.0) -> None:  # node starts slowly on a loaded 2-core machine
        """Launch Azurite and wait until it listens on all three ports itself.

        On the first start, ports another process took meanwhile are picked again.
        """
        if self.running:
            return
        if not AZURITE.exists():
            raise RuntimeError(f"{AZURITE} is missing; run `npm install` at the project root")
        self.location.mkdir(parents=True, exist_ok=True)
        for _ in range(PORT_ATTEMPTS if self._may_repick else 1):
            if self._launch(timeout):
                self._may_repick = False
                return
            self.ports = (free_port(), free_port(), free_port())
        raise RuntimeError(f"Azurite found its ports taken {PORT_ATTEMPTS} times:\n{tail(self.log_path)}")

    def _launch(self, timeout: float) -> bool:
        """One start on ``self.ports``: True once up, False if a port was taken (to retry)."""
        command = [str(AZURITE), "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location"]
        command.append(str(self.location))
        for service, port in zip(("blob", "queue", "table"), self.ports, strict=True):
            command += [f"--{service}Host", "127.0.0.1", f"--{service}Port", str(port)]
        offset = self.log_path.stat().st_size if self.log_path.is_file() else 0
        environment = dict(os.environ)
        environment.pop("AZURITE_ACCOUNTS", None)
        if self.accounts:  # naming accounts disables devstoreaccount1 unless it is named too
            environment["AZURITE_ACCOUNTS"] = ";".join(f"{name}:{ACCOUNT_KEY}" for name in self.accounts)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self.location, env=environment
            )
        deadline = time.monotonic() + timeout
        while not all(listens(self._process.pid, port) for port in self.ports):
            if self._process.poll() is not None:
                if self._may_repick and port_taken(self.log_path, offset):
                    self._process = None
                    return False
                raise RuntimeError(f"Azurite exited with {self._process.returncode}:\n{tail(self.log_path)}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Azurite did not listen on {self.ports} within {timeout}s:\n{tail(self.log_path)}")
            time.sleep(0.1)
        return True

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

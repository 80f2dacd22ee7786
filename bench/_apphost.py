"""The app in a local host process: ``python -m devhost`` on a free port, stopped on exit.

The benchmarks that measure the app as it is deployed (queue triggers, separate worker
processes, their memory) run it in ``devhost`` rather than in process. The host reads its
``host.json`` from the script root, so each host gets a script root of symlinks to the app
with the benchmark's own host.json beside them, as the e2e tests run it; the project's
``host.json`` and ``local.settings.json`` are never read or changed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench._azurite import HOST, free_ports, listening
from bench._common import ROOT

# A rate limit no benchmark reaches, so nothing it measures is throttled.
HIGH_LIMIT = "100000000"
# What the script root links to: the app's entry point and the packages it imports.
_APP_FILES = ("function_app.py", "functions", "shared")


def host_environment(connection_string: str, admin_key: str, *, kept: Sequence[str],
                     extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a host process: this one's, minus the overrides in ``kept``, plus the app's settings.

    ``kept`` names settings whose defaults shape the figures, so an override in the caller's
    shell must not reach the host; rate limits are raised; ``extra`` adds a benchmark's own.
    """
    env = {k: v for k, v in os.environ.items() if k not in kept}
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env |= {
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": pythonpath,
        "AzureWebJobsStorage": connection_string,
        "CLOUDPLANE_ADMIN_KEY": admin_key,
        "CLOUDPLANE_RATE_LIMIT_DEFAULT": HIGH_LIMIT,
        "CLOUDPLANE_RATE_LIMIT_JOBS": HIGH_LIMIT,
        "CLOUDPLANE_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128",  # the app may connect to loopback only
    }
    env |= extra or {}
    return env


class HostProcess:
    """One ``python -m devhost`` process: its pid, base URL and log; stopped by its own handle."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
        self.process = process
        self.port = port
        self.log_path = log_path

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def tail(self) -> str:
        """The end of the host's log, for an error message when it dies or does not listen."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]


@contextmanager
def devhost(env: dict[str, str], workdir: Path, host_json: Mapping[str, Any], *, queues: bool,
            timeout: float = 60.0) -> Iterator[HostProcess]:
    """Start ``python -m devhost`` in ``workdir`` with ``host_json``, queue triggers on or off; stop it on exit.

    Yields once the port listens. The process is stopped through its own handle (SIGTERM, then
    kill), never by name, so other hosts on the machine are left alone.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    script_root = workdir / "root"
    script_root.mkdir()
    for name in _APP_FILES:
        (script_root / name).symlink_to(ROOT / name)
    (script_root / "host.json").write_text(json.dumps(host_json), encoding="utf-8")
    port = free_ports(1)[0]
    log_path = workdir / "devhost.log"
    command = [
        sys.executable, "-m", "devhost", "--app", "function_app:app", "--port", str(port),
        "--script-root", str(script_root), "--settings", str(workdir / "no-local-settings.json"),
    ]
    if not queues:
        command.append("--no-queues")
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT)
    host = HostProcess(process, port, log_path)
    try:
        deadline = time.monotonic() + timeout
        while not listening(port):
            if process.poll() is not None:
                raise RuntimeError(f"devhost exited with {process.returncode}:\n{host.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"devhost did not listen on {port} within {timeout} s:\n{host.tail()}")
            time.sleep(0.05)
        yield host
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def new_tenant(http: Any, base_url: str, admin_key: str) -> str:
    """Create a tenant over HTTP (admin key) and return its API key, so each run starts with no jobs."""
    slug = f"bench-{uuid.uuid4().hex[:12]}"
    reply = http.post(f"{base_url}/api/v1/tenants", json={"name": "Benchmark tenant", "slug": slug},
                      headers={"Authorization": f"Bearer {admin_key}"})
    if reply.status_code != 201:
        raise RuntimeError(f"creating a tenant failed: {reply.status_code} {reply.text[:500]}")
    key: str = reply.json()["api_key"]["key"]
    return key

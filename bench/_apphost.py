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
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._azurite import HOST, Azurite, free_ports, listening
from bench._common import DEFAULTS_KEPT, ROOT, parse_time

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


# ---- evaluation benches: datasets and jobs over the API of a host ---------------------------------

TERMINAL = {"completed", "completed_with_errors", "failed", "cancelled"}
EVALUATION_HOST_JSON: dict[str, Any] = {
    "version": "2.0",
    "extensions": {
        "http": {"routePrefix": "api"},
        "queues": {
            "batchSize": 16,
            "newBatchThreshold": 8,
            "maxPollingInterval": "00:00:00.200",
            "visibilityTimeout": "00:00:05",
            "maxDequeueCount": 5,
        },
    },
}
_MAX_BYTES = str(256 * 1024 * 1024)
EVALUATION_KEPT = (*DEFAULTS_KEPT, "CLOUDPLANE_JOB_MAX_ATTEMPTS", "CLOUDPLANE_DATASET_CHUNK_ROWS")
"""Overrides removed from the hosts' environment so the defaults apply."""
EVALUATION_SETTINGS = {
    "CLOUDPLANE_MAX_BODY_BYTES": _MAX_BYTES,
    "CLOUDPLANE_MAX_DATASET_BYTES": _MAX_BYTES,
    "CLOUDPLANE_LOG_LEVEL": "WARNING",
}
"""Raised so a generated file can be uploaded; logs at WARNING so the hosts do not write per request."""


def status_kb(pid: int) -> dict[str, int]:
    """``VmRSS`` and ``VmHWM`` (kB) from ``/proc/<pid>/status``."""
    found: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def upload_dataset(http: Any, base_url: str, headers: dict[str, str], body: bytes) -> tuple[dict[str, Any], float]:
    """Upload ``body`` as a CSV dataset; (the dataset, seconds the upload took)."""
    started = time.perf_counter()
    reply = http.post(f"{base_url}/api/v1/datasets", params={"name": "bench-50k"}, content=body,
                      headers={**headers, "Content-Type": "text/csv"})
    seconds = time.perf_counter() - started
    if reply.status_code != 201:
        raise RuntimeError(f"uploading the dataset failed: {reply.status_code} {reply.text[:500]}")
    dataset: dict[str, Any] = reply.json()
    return dataset, seconds


@dataclass
class EvaluationApp:
    """A private Azurite, an API host (no queue triggers) and a tenant, for benches that run jobs.

    Workers are started by the bench (``worker``), so each can be fresh for the figure it
    measures (its peak memory belongs to one job).
    """

    env: dict[str, str]
    workdir: Path
    api: HostProcess
    http: Any
    headers: dict[str, str]

    @contextmanager
    def worker(self, name: str) -> Iterator[HostProcess]:
        """One worker host (queue triggers on) until the block ends."""
        with devhost(self.env, self.workdir / name, EVALUATION_HOST_JSON, queues=True) as host:
            yield host

    def post(self, path: str, body: dict[str, Any], status: int = 201) -> Any:
        reply = self.http.post(f"{self.api.base_url}{path}", json=body, headers=self.headers)
        if reply.status_code != status:
            raise RuntimeError(f"POST {path} answered {reply.status_code}: {reply.text[:500]}")
        return reply

    def upload(self, body: bytes) -> dict[str, Any]:
        return upload_dataset(self.http, self.api.base_url, self.headers, body)[0]

    def run_job(self, body: dict[str, Any], timeout: float, poll: float = 0.25) -> dict[str, Any]:
        """Submit ``body`` and poll it until it ends; the job with ``seconds`` (its own created-to-completed)."""
        url = self.api.base_url + self.post("/api/v1/jobs", body, 202).headers["Location"]
        deadline = time.monotonic() + timeout
        while True:
            job: dict[str, Any] = self.http.get(url, headers=self.headers).json()
            if job["status"] in TERMINAL:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the job is still {job['status']} after {timeout} s: {job.get('progress')}")
            time.sleep(poll)
        if job["status"] not in ("completed", "completed_with_errors"):
            raise RuntimeError(f"the job ended {job['status']}: {job.get('error')} {job.get('summary')}")
        job["seconds"] = (parse_time(job["completed_at"]) - parse_time(job["created_at"])).total_seconds()
        return job


@contextmanager
def evaluation_app(prefix: str, extra: Mapping[str, str] | None = None) -> Iterator[EvaluationApp]:
    """Azurite, the API host with ``EVALUATION_SETTINGS`` plus ``extra``, and a fresh tenant's key."""
    import httpx

    admin_key = secrets.token_urlsafe(24)
    with Azurite() as azurite, tempfile.TemporaryDirectory(prefix=f"cloudplane-bench-{prefix}-") as tmp:
        env = host_environment(azurite.connection_string, admin_key, kept=EVALUATION_KEPT,
                               extra={**EVALUATION_SETTINGS, **(extra or {})})
        workdir = Path(tmp)
        with (
            devhost(env, workdir / "api", EVALUATION_HOST_JSON, queues=False) as api,
            httpx.Client(timeout=120) as http,
        ):
            headers = {"Authorization": f"Bearer {new_tenant(http, api.base_url, admin_key)}"}
            yield EvaluationApp(env, workdir, api, http, headers)

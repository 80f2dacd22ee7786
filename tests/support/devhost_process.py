"""The local Functions host (``python -m devhost``) as a test subprocess.

A separate process gives the tests what users get: settings loaded before the app is
imported, a real socket, signals, and log lines to assert on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from tests.support.azurite import PORT_ATTEMPTS, ROOT, free_port, listens, port_taken, tail


def script_root(folder: Path, queues: Mapping[str, object]) -> Path:
    """A Functions script root: the app's files linked in, and a host.json with these queue settings.

    A test tunes retries and polling through host.json, as a deployment would; the app's code
    is the checkout's own. Made once per folder (a restarted host reuses it).
    """
    if not folder.exists():
        folder.mkdir()
        for name in ("function_app.py", "functions", "shared"):
            (folder / name).symlink_to(ROOT / name)
        host = {"version": "2.0", "extensions": {"http": {"routePrefix": "api"}, "queues": dict(queues)}}
        (folder / "host.json").write_text(json.dumps(host))
    return folder


class DevHost:
    """``python -m devhost --app <app>`` in ``cwd`` (the script root), output kept in a log file."""

    def __init__(
        self,
        app: str,
        env: Mapping[str, str],
        cwd: Path,
        port: int | None = None,
        args: Sequence[str] = (),
    ) -> None:
        self.app = app
        self.env = dict(env)
        self.cwd = cwd
        self._may_repick = port is None
        self.port = port or free_port()
        self.args = list(args)
        self.log_path = cwd / f"devhost-{self.port}.log"
        self.returncode: int | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 30.0) -> None:
        """Spawn the host and wait until it listens on its port itself.

        A picked port that another process took first is picked again (the log keeps its first name).
        """
        for _ in range(PORT_ATTEMPTS if self._may_repick else 1):
            if self._launch(timeout):
                self._may_repick = False
                return
            self.port = free_port()
        raise RuntimeError(f"devhost found its port taken {PORT_ATTEMPTS} times:\n{tail(self.log_path)}")

    def _launch(self, timeout: float) -> bool:
        """One start on ``self.port``: True once up, False if the port was taken (to retry)."""
        pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": pythonpath, **self.env}
        command = [sys.executable, "-m", "devhost", "--app", self.app, "--port", str(self.port), *self.args]
        offset = self.log_path.stat().st_size if self.log_path.is_file() else 0
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(command, cwd=self.cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not listens(self._process.pid, self.port):
            if self._process.poll() is not None:
                if self._may_repick and port_taken(self.log_path, offset):
                    self._process = None
                    return False
                self.returncode = self._process.returncode
                raise RuntimeError(f"devhost exited with {self.returncode}:\n{tail(self.log_path)}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"devhost did not listen on {self.port} within {timeout}s:\n{tail(self.log_path)}")
            time.sleep(0.05)
        return True

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, as a supervisor would; returns the exit status (killed if it hangs)."""
        process, self._process = self._process, None
        if process is None:
            return self.returncode
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.returncode = process.returncode
        return self.returncode

    def kill(self) -> int | None:
        """SIGKILL, as a crash or an out-of-memory kill would: nothing is drained or cleaned up."""
        process, self._process = self._process, None
        if process is None:
            return self.returncode
        if process.poll() is None:
            process.kill()
        self.returncode = process.wait()
        return self.returncode

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.is_file() else ""

    def wait_for_log(self, text: str, timeout: float = 10.0) -> str:
        """Block until ``text`` appears in the log; returns the log."""
        deadline = time.monotonic() + timeout
        while text not in (log := self.log_text()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not logged within {timeout}s:\n{tail(self.log_path)}")
            time.sleep(0.05)
        return log

    def __enter__(self) -> DevHost:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

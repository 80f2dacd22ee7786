"""Real Keystone and nova-api (Debian's packages) as session fixtures, on free ports.

``scripts/openstack/`` holds the start and stop scripts (``make test`` installs the packages with
``scripts/openstack/install.sh``); this module runs them once per test session, in a temporary
folder, and stops them at the end. Several test sessions run at once on one machine, so ports
are picked free, never fixed. Passwords are random per session and reach the scripts through
the environment only.

Import the fixtures ``keystone`` and ``nova`` (``tests/conftest.py`` does) and use their URLs
and admin credentials; ``Keystone.stop``/``start`` bring Keystone down and back with its data.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.azurite import free_port, tail

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts" / "openstack"
REGION = "RegionOne"
PORT_ATTEMPTS = 3


def installed() -> bool:
    """Whether the Debian packages the scripts run are on this machine."""
    return all(shutil.which(command) for command in ("keystone-manage", "nova-api-wsgi", "uwsgi"))


def _run(script: str, args: list[str], env: dict[str, str], log: Path, timeout: float = 300) -> bool:
    """Run one script; False if it failed (the caller may retry on another port)."""
    with log.open("ab") as out:
        result = subprocess.run(
            [str(SCRIPTS / script), *args],
            env=os.environ | env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    return result.returncode == 0


def _stop(directory: Path) -> None:
    subprocess.run([str(SCRIPTS / "stop.sh"), str(directory)], check=False, timeout=60)


@dataclass
class Keystone:
    """One Keystone: ``auth_url`` (``.../v3``), the ``admin`` user's credentials, its uwsgi request log."""

    directory: Path
    port: int = 0
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    token_expiration: int = 3600

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth_url(self) -> str:
        return f"{self.url}/v3"

    @property
    def request_log(self) -> Path:
        """uwsgi's log of every request Keystone served (one line each)."""
        return self.directory / "log" / "uwsgi.log"

    def admin_auth(self) -> dict[str, Any]:
        """The ``auth`` of a clouds.yaml entry for the bootstrap admin (project ``admin``)."""
        return {
            "auth_url": self.auth_url,
            "username": "admin",
            "password": self.admin_password,
            "project_name": "admin",
            "user_domain_name": "Default",
            "project_domain_name": "Default",
        }

    def admin_cloud(self) -> dict[str, Any]:
        """A whole clouds.yaml entry for the admin."""
        return {"auth": self.admin_auth(), "region_name": REGION, "interface": "public"}

    def token_issues(self) -> int:
        """Tokens Keystone has issued so far (``POST /v3/auth/tokens`` answered 201 in its request log)."""
        return self._count("POST /v3/auth/tokens", "(HTTP/1.1 201)")

    def token_requests(self) -> int:
        """Login attempts so far, whatever Keystone answered."""
        return self._count("POST /v3/auth/tokens")

    def _count(self, *needles: str) -> int:
        """Lines holding every needle, once the log has stopped growing (uwsgi writes a request's
        line just after answering it, so a count read at once may miss the last request)."""
        size = -1
        while True:
            current = self.request_log.stat().st_size if self.request_log.is_file() else 0
            if current == size:
                break
            size = current
            time.sleep(0.15)
        if not self.request_log.is_file():
            return 0
        text = self.request_log.read_text(encoding="utf-8", errors="replace")
        return sum(1 for line in text.splitlines() if all(needle in line for needle in needles))

    def admin_token(self) -> str:
        """A fresh admin token (one more token issue on Keystone's side)."""
        import requests

        auth = self.admin_auth()
        body = {
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {"name": auth["username"], "domain": {"id": "default"}, "password": self.admin_password}
                    },
                },
                "scope": {"project": {"name": auth["project_name"], "domain": {"id": "default"}}},
            }
        }
        reply = requests.post(f"{self.auth_url}/auth/tokens", json=body, timeout=30)
        reply.raise_for_status()
        return str(reply.headers["X-Subject-Token"])

    def revoke(self, token: str) -> None:
        """Revoke a token, as its expiry would end it: the next use of it is a 401."""
        import requests

        headers = {"X-Auth-Token": self.admin_token(), "X-Subject-Token": token}
        requests.delete(f"{self.auth_url}/auth/tokens", headers=headers, timeout=30).raise_for_status()

    def _env(self) -> dict[str, str]:
        return {
            "KEYSTONE_ADMIN_PASSWORD": self.admin_password,
            "KEYSTONE_TOKEN_EXPIRATION": str(self.token_expiration),
        }

    def start(self) -> Keystone:
        """Start (first time: set up on a free port; later: the same data on the same port)."""
        log = self.directory.parent / f"{self.directory.name}-start.log"
        first = self.port == 0
        for _ in range(PORT_ATTEMPTS if first else 1):
            if first:
                self.port = free_port()
            if _run("start_keystone.sh", [str(self.directory), str(self.port)], self._env(), log):
                return self
            _stop(self.directory)
            if first:
                shutil.rmtree(self.directory, ignore_errors=True)
        raise RuntimeError(f"Keystone did not start:\n{tail(log)}")

    def stop(self) -> None:
        _stop(self.directory)


@dataclass
class Nova:
    """One nova-api registered in ``keystone``'s catalog (``compute``, RegionOne)."""

    directory: Path
    keystone: Keystone
    port: int = 0
    service_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v2.1"

    @property
    def request_log(self) -> Path:
        return self.directory / "log" / "uwsgi.log"

    def start(self) -> Nova:
        log = self.directory.parent / f"{self.directory.name}-start.log"
        env = {"KEYSTONE_ADMIN_PASSWORD": self.keystone.admin_password, "NOVA_SERVICE_PASSWORD": self.service_password}
        for _ in range(PORT_ATTEMPTS):
            self.port = free_port()
            args = [str(self.directory), str(self.port), self.keystone.auth_url]
            if _run("start_nova.sh", args, env, log):
                return self
            _stop(self.directory)
        raise RuntimeError(f"nova-api did not start:\n{tail(log)}")

    def stop(self) -> None:
        _stop(self.directory)


def _workdir() -> Path:
    """A folder of our own, outside pytest's numbered temporary folders: several test sessions
    run on one machine, and each prunes the older numbered folders, a running Keystone's included."""
    return Path(tempfile.mkdtemp(prefix="cloudplane-openstack-"))


@pytest.fixture(scope="session")
def keystone() -> Iterator[Keystone]:
    """One real Keystone for the session (skipped where the packages are not installed)."""
    if not installed():
        pytest.skip("Keystone is not installed: run scripts/openstack/install.sh (make test does)")
    root = _workdir()
    server = Keystone(root / "keystone")
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def nova(keystone: Keystone) -> Iterator[Nova]:
    """One real nova-api for the session, in Keystone's catalog; started only by tests that need it."""
    server = Nova(keystone.directory.parent / "nova", keystone)
    try:
        server.start()
        yield server
    finally:
        server.stop()

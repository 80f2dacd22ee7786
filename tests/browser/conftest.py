"""The web console in a real browser: Debian's Chromium, headless, driven by Playwright.

One browser for the whole session (a context per test); one local host with its queue
triggers, a tenant and two emulated clusters per module. No browser is downloaded: Playwright
drives the system Chromium (``scripts/install_chromium.sh`` installs it where it is missing), with
a fresh profile and the network features that would call out turned off. A failing test leaves
a screenshot in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import ADMIN, app_env
from tests.support.azurite import ROOT, Azurite
from tests.support.devhost_process import DevHost, script_root
from tests.support.kube import KubeEmulator, gpu_node

CHROMIUM = os.environ.get("CLOUDPLANE_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 45_000  # a loaded two-core machine runs a browser, the host, Azurite and the emulators


def _browser_or_skip() -> None:
    missing = [str(p) for p in (Path(CHROMIUM), AXE) if not p.exists()]
    if missing:
        message = f"needs {', '.join(missing)}: run scripts/install_chromium.sh and npm install"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One browser for the browser tests, stopped when they end: Playwright's sync API keeps an
    event loop running on the main thread while it is open, and every later test that calls
    ``asyncio.run`` (the async client, the local host in process) would fail under it."""
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives the browser a fresh --user-data-dir of its own and adds --headless.
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@dataclass
class Console:
    """The host, the tenant's key and the clusters the browser tests look at."""

    host: DevHost
    key: str
    headers: dict[str, str]
    clusters: list[KubeEmulator]
    servers: list[dict[str, Any]]
    pods: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.host.base_url}/api/console/"

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.request(method, f"{self.host.base_url}/api/v1/{path}", headers=self.headers, timeout=30, **kwargs)


@pytest.fixture(scope="module")
def console(azurite: Azurite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """The local host with queue triggers on, a tenant, and two clusters (4 GPUs each) with a pod on each."""
    folder = tmp_path_factory.mktemp("console")
    root = script_root(
        folder / "root",
        {"batchSize": 16, "maxPollingInterval": "00:00:00.500", "visibilityTimeout": "00:00:00", "maxDequeueCount": 2},
    )
    env = app_env(
        azurite,
        CLOUDPLANE_CREDENTIALS_KEY=base64.b64encode(b"C" * 32).decode(),
        CLOUDPLANE_ALLOW_PRIVATE_ENDPOINTS="true",
        CLOUDPLANE_K8S_TIMEOUT_SECONDS="2",
        CLOUDPLANE_RATE_LIMIT_JOBS="1000",  # the figures test submits 50 jobs at once
        CLOUDPLANE_RESULTS_INLINE_MAX_BYTES="20000",  # a job of 3,000 rows is answered by a redirect
    )
    host = DevHost(
        "function_app:app", env, cwd=folder, args=["--script-root", str(root), "--settings", str(folder / "none.json")]
    )
    clusters = [KubeEmulator(nodes=[gpu_node(f"gpu-{n}", gpus="4")]).start() for n in ("a", "b")]
    host.start()
    try:
        slug = f"console-{uuid.uuid4().hex[:8]}"
        made = httpx.post(f"{host.base_url}/api/v1/tenants", json={"name": "Console Co", "slug": slug}, headers=ADMIN)
        assert made.status_code == 201, made.text
        key = made.json()["api_key"]["key"]
        console = Console(host, key, {"Authorization": f"Bearer {key}"}, clusters, [])
        for name, cluster in zip(("cluster-a", "cluster-b"), clusters, strict=True):
            token = base64.b64encode(uuid.uuid4().bytes).decode()
            reply = console.api("POST", "servers", json={"name": name, "api_url": cluster.url, "token": token})
            assert reply.status_code == 201, reply.text
            console.servers.append(reply.json())
        for server, gpus in zip(console.servers, (1, 2), strict=True):
            reply = console.api(
                "POST",
                "pods",
                json={
                    "server_id": server["id"],
                    "name": f"train-{gpus}",
                    "image": "busybox",
                    "resources": {"gpus": gpus},
                },
            )
            assert reply.status_code == 201, reply.text
            console.pods.append(reply.json())
        yield console
    finally:
        host.stop()
        for cluster in clusters:
            cluster.stop()


@pytest.fixture
def open_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """A new context and page (``open_page(width=360)`` for a narrow screen); CSP violations and page
    errors are collected on ``page.problems`` and a failing test leaves a screenshot of each page."""
    pages: list[Any] = []

    def open_(width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        pages.append(page)
        return page

    yield open_
    # CONSOLE_SCREENSHOTS=1 keeps a screenshot of every page, to look at the console as a person would.
    failed = request.node.stash.get(_FAILED, False) or bool(os.environ.get("CONSOLE_SCREENSHOTS"))
    if failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for n, page in enumerate(pages):
        if failed:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
        page.context.close()


def sign_in(page: Any, console: Console, hash_: str = "#/servers") -> None:
    page.goto(console.url + hash_)
    page.get_by_label("API key").fill(console.key)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2 A and AA rules)."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate("(source) => { (0, eval)(source); }", AXE.read_text())
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}))
            .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]

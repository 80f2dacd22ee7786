"""The web console's static route: what it serves, with which headers, and what it refuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared.errors import NotFound
from shared.services.console import CONSOLE_DIR, ConsoleService
from tests.support.inprocess import InProcessClient

TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


def _shipped() -> list[Path]:
    return sorted(p for p in CONSOLE_DIR.iterdir() if p.is_file())


def test_the_page_and_every_file_it_loads_are_served_with_strict_headers(client: InProcessClient) -> None:
    page = client.get("/api/console/")
    assert page.status == 200
    assert page.header("content-type") == "text/html; charset=utf-8"
    csp = page.header("content-security-policy") or ""
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp
    assert page.header("x-content-type-options") == "nosniff"
    assert page.header("cache-control") == "no-cache", "the page is revalidated so a deployment shows at once"
    assert client.get("/api/console").body == page.body

    html = page.body.decode()
    loaded = set(re.findall(r'(?:src|href)="/api/console/([^"]+)"', html))
    for path in CONSOLE_DIR.glob("*.js"):  # the modules' own imports
        loaded |= set(re.findall(r'from "\./([^"]+)"', path.read_text()))
    assert {"app.js", "console.css", "api.js", "servers.js", "pods.js", "jobs.js", "job.js"} <= loaded
    for name in sorted(loaded):
        reply = client.get(f"/api/console/{name}")
        assert reply.status == 200, name
        assert (reply.header("content-type") or "").startswith(TYPES[Path(name).suffix]), name
        assert reply.header("cache-control") == "public, max-age=300"
        assert reply.header("content-security-policy") == csp


def test_no_file_loads_anything_from_another_origin() -> None:
    for path in _shipped():
        text = path.read_text()
        assert not re.search(
            r"(?<![\w.])(?:https?:)?//[\w-]+\.[\w.-]+/", text.replace("http://www.w3.org/2000/svg", "")
        ), path
        assert "innerHTML" not in text and "eval(" not in text, path
        if path.suffix == ".html":
            assert "<script>" not in text and " style=" not in text, "inline code would need a weaker CSP"


def test_an_unchanged_file_is_answered_304(client: InProcessClient) -> None:
    first = client.get("/api/console/app.js")
    etag = first.header("etag")
    assert etag and etag.startswith('"')
    again = client.get("/api/console/app.js", headers={"If-None-Match": f'"other", {etag}'})
    assert again.status == 304 and again.body == b""
    assert again.header("etag") == etag
    assert client.get("/api/console/app.js", headers={"If-None-Match": '"stale"'}).status == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/console/..%2Ffunction_app.py",
        "/api/console/..%2F..%2Fetc%2Fpasswd",
        "/api/console/%2E%2E%2Flocal.settings.json",
        "/api/console/..%5Cfunction_app.py",
        "/api/console/.gitignore",
        "/api/console/nope.js",
        "/api/console/index.html%00.js",
        "/api/console/README.md",
    ],
)
def test_paths_outside_the_console_or_of_other_kinds_are_refused(client: InProcessClient, path: str) -> None:
    reply = client.get(path)
    assert reply.status == 404, reply.body
    assert reply.json()["error"]["code"] in {"CONSOLE_FILE_NOT_FOUND", "ROUTE_NOT_FOUND"}


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "console"
    folder.mkdir()
    (folder / "ok.js").write_text("export {};")
    (tmp_path / "secret.js").write_text("secret")
    (folder / "link.js").symlink_to(tmp_path / "secret.js")
    (folder / "notes.txt").write_text("not a console kind")
    files = ConsoleService(folder)
    assert files.file("ok.js").body == b"export {};"
    for name in ("link.js", "notes.txt", "../secret.js", "missing.js"):
        with pytest.raises(NotFound):
            files.file(name)

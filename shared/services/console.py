"""The web console's static files, served by the app itself (no CDN, no second web server).

The files live in the repository's ``console/`` folder, one flat folder: a name is served only
when it is a plain file directly inside it, so no request can reach a path outside. Every
answer carries a strict Content-Security-Policy (scripts, styles and fetches from this origin
only, no inline code), ``nosniff`` and a strong ETag; the page itself is revalidated on each
load (``no-cache``) and the assets are kept five minutes, so a deployment shows within minutes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from shared.api.http import ApiResponse
from shared.errors import NotFound

CONSOLE_DIR = Path(__file__).resolve().parents[2] / "console"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
}
"""Only these kinds are served: a stray file of another kind in the folder stays private."""

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

INDEX = "index.html"


@dataclass(frozen=True)
class _File:
    body: bytes
    content_type: str
    etag: str


class ConsoleService:
    """Reads each file once and keeps it (the folder does not change while the app runs)."""

    def __init__(self, folder: Path = CONSOLE_DIR) -> None:
        self._folder = folder.resolve()
        self._cache: dict[str, _File] = {}

    def file(self, name: str, if_none_match: str | None = None) -> ApiResponse:
        """``name`` (``index.html`` for the page), 304 when the caller's ETag still holds, else 404."""
        found = self._cache.get(name) or self._load(name)
        headers = {
            **SECURITY_HEADERS,
            "ETag": found.etag,
            "Cache-Control": "no-cache" if name == INDEX else "public, max-age=300",
        }
        if if_none_match and found.etag in {tag.strip() for tag in if_none_match.split(",")}:
            return ApiResponse(304, b"", None, headers)
        return ApiResponse(200, found.body, found.content_type, headers)

    def _load(self, name: str) -> _File:
        content_type = CONTENT_TYPES.get(Path(name).suffix.lower())
        path = (self._folder / name).resolve() if content_type and not name.startswith(".") else None
        if path is None or path.parent != self._folder or not path.is_file():
            raise NotFound("The console has no file of that name.", code="CONSOLE_FILE_NOT_FOUND")
        body = path.read_bytes()
        loaded = _File(body, content_type or "", f'"{hashlib.sha256(body).hexdigest()[:32]}"')
        self._cache[name] = loaded
        return loaded

"""The OpenAPI document and the Swagger UI page, with assets shipped by a package (no CDN)."""

from __future__ import annotations

import json
import mimetypes
from functools import cached_property
from pathlib import Path

from shared.api.http import ApiResponse
from shared.api.router import RouteTable
from shared.config import Settings
from shared.errors import NotFound

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Cloudplane API</title>
  <link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({url: "v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
  </script>
</body>
</html>
"""


class DocsService:
    """The document is built on first request and kept: the route table does not change while the app runs."""

    def __init__(self, routes: RouteTable, settings: Settings | None = None) -> None:
        self._routes = routes
        self._settings = settings

    @cached_property
    def _openapi_bytes(self) -> bytes:
        from shared.api.openapi import build_openapi  # only when the document is first asked for

        return json.dumps(build_openapi(self._routes, self._settings), separators=(",", ":")).encode()

    @cached_property
    def _asset_dir(self) -> Path:
        import swagger_ui_bundle

        return Path(swagger_ui_bundle.swagger_ui_path)

    def openapi_response(self) -> ApiResponse:
        return ApiResponse(200, self._openapi_bytes, "application/json", {"Cache-Control": "public, max-age=300"})

    @staticmethod
    def docs_page() -> ApiResponse:
        return ApiResponse(200, _PAGE.encode(), "text/html; charset=utf-8", {"Cache-Control": "public, max-age=300"})

    def docs_asset(self, name: str) -> ApiResponse:
        """Only files the package ships at the top of its folder: no path can escape it."""
        folder = self._asset_dir
        if "/" in name or "\\" in name or name.startswith(".") or not (folder / name).is_file():
            raise NotFound("No docs asset has that name.", code="ASSET_NOT_FOUND", details={"parameter": "name"})
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return ApiResponse(200, (folder / name).read_bytes(), content_type, {"Cache-Control": "public, max-age=86400"})

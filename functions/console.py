"""The web console: its page and static files under /api/console/, signed in with an API key.

The console calls the same /api/v1 routes as any client (Bearer key from session storage), so
these two routes need no credentials: they serve only the files shipped in ``console/``.
"""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.http import ApiResponse
from shared.api.pipeline import RequestContext
from shared.api.router import Auth

bp = func.Blueprint()

_FILE_MEDIA_TYPES = ("text/javascript", "text/css", "image/svg+xml", "image/png", "image/x-icon", "application/json")


@endpoint(
    bp,
    "GET",
    "console",
    summary="The web console (open /api/console/ in a browser)",
    tag="console",
    auth=Auth.NONE,
    media_type="text/html",
    responses=((304, ""),),
)
def get_console(ctx: RequestContext) -> ApiResponse:
    return deps.console_service().file("index.html", ctx.request.header("if-none-match"))


@endpoint(
    bp,
    "GET",
    "console/{file}",
    summary="A static file of the web console",
    tag="console",
    auth=Auth.NONE,
    media_type="text/html",
    responses=(*((200, media) for media in _FILE_MEDIA_TYPES), (304, "")),
    errors=(404,),
)
def get_console_file(ctx: RequestContext) -> ApiResponse:
    """Only plain files directly inside the console's folder, of the kinds it ships."""
    return deps.console_service().file(ctx.path["file"], ctx.request.header("if-none-match"))

"""The catch-all function: JSON 404s, 405s with ``Allow`` and CORS preflight.

Azure Functions routes literal and parameter segments before a ``{*path}`` catch-all, so
this function only sees what no endpoint matched. It declares no methods, which the host
reads as every method: TRACE, CONNECT or any other verb on a known path is a 405 with
``Allow`` from here, never the host's empty 404.
"""

from __future__ import annotations

import azure.functions as func

from functions._http import to_api_request, to_http_response
from shared.api import pipeline

bp = func.Blueprint()


@bp.function_name("fallback")
@bp.route(route="{*path}", methods=None, auth_level=func.AuthLevel.ANONYMOUS)
def fallback(req: func.HttpRequest) -> func.HttpResponse:
    return to_http_response(pipeline.handle_unmatched(to_api_request(req)))

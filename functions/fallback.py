"""The catch-all function: JSON 404s, 405s with ``Allow`` and CORS preflight.

Azure Functions routes literal and parameter segments before a ``{*path}`` catch-all, so
this function only sees what no endpoint matched.
"""

from __future__ import annotations

import azure.functions as func

from functions._http import to_api_request, to_http_response
from shared.api import pipeline

bp = func.Blueprint()

ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@bp.function_name("fallback")
@bp.route(route="{*path}", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def fallback(req: func.HttpRequest) -> func.HttpResponse:
    return to_http_response(pipeline.handle_unmatched(to_api_request(req)))

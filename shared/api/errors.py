"""The one error type of the API and its status-code family.

Every failure a client can see is an ``ApiError``; the pipeline turns it into the error
envelope of the design (``{"error": {"code", "message", "details", "request_id",
"trace_id"}}``). Services raise these directly so no layer has to translate twice.
"""

from __future__ import annotations

import re
from typing import Any

_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
"""A path part shown as is: a field name of ours. Anything else in a path came from the input
(a dict key, an unknown field) and is shown as ``*``."""


class ApiError(Exception):
    """A failure with an HTTP status, an UPPER_SNAKE code and details safe to show."""

    status_code: int = 500
    code: str = "INTERNAL"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details or {}
        self.headers = headers or {}


class BadRequest(ApiError):
    status_code, code = 400, "BAD_REQUEST"


class Unauthorized(ApiError):
    status_code, code = 401, "UNAUTHORIZED"

    def __init__(self, message: str = "A valid API key is required.", **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="cloudplane"'})
        super().__init__(message, **kwargs)


class Forbidden(ApiError):
    status_code, code = 403, "FORBIDDEN"


class NotFound(ApiError):
    status_code, code = 404, "NOT_FOUND"


class MethodNotAllowed(ApiError):
    status_code, code = 405, "METHOD_NOT_ALLOWED"


class Conflict(ApiError):
    status_code, code = 409, "CONFLICT"


class PayloadTooLarge(ApiError):
    status_code, code = 413, "PAYLOAD_TOO_LARGE"


class UnsupportedMediaType(ApiError):
    status_code, code = 415, "UNSUPPORTED_MEDIA_TYPE"


class ValidationFailed(ApiError):
    status_code, code = 422, "VALIDATION_FAILED"


class RateLimited(ApiError):
    status_code, code = 429, "RATE_LIMITED"


class InternalError(ApiError):
    status_code, code = 500, "INTERNAL"


class ServiceUnavailable(ApiError):
    status_code, code = 503, "SERVICE_UNAVAILABLE"


def validation_details(errors: list[Any], prefix: tuple[str | int, ...] = ()) -> dict[str, Any]:
    """Pydantic errors as ``{"fields": [{"path", "message", "type"}]}``, without input values.

    The rejected values are left out on purpose: they may hold secrets. So are keys that are
    not plain field names (a dict key, an unknown field named by the input): ``*`` stands in.
    """
    fields = []
    for error in errors:
        location = prefix + tuple(error.get("loc", ()))
        fields.append(
            {
                "path": ".".join(_path_part(part) for part in location) or "(body)",
                "message": error.get("msg", "invalid"),
                "type": error.get("type", "value_error"),
            }
        )
    return {"fields": fields}


def _path_part(part: str | int) -> str:
    if isinstance(part, int) or _FIELD_NAME.fullmatch(part):
        return str(part)
    return "*"

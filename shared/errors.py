"""The one error type of the domain and its families, below every layer.

Every failure a caller can see is a ``DomainError`` with an UPPER_SNAKE code, a message for a
person and details safe to show. Storage, providers, the jobs engine and the services raise
them; none of them knows HTTP. The request pipeline maps each family to a status code in one
place (``shared/api/errors.py``) and builds the error envelope; a queue step records the same
code and message on the job.
"""

from __future__ import annotations

import re
from typing import Any

_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
"""A path part shown as is: a field name of ours. Anything else in a path came from the input
(a dict key, an unknown field) and is shown as ``*``."""


class DomainError(Exception):
    """A failure with an UPPER_SNAKE code and details safe to show.

    ``headers`` are hints for the edge that belong to the failure itself (``Retry-After``).
    """

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


class BadRequest(DomainError):
    code = "BAD_REQUEST"


class Unauthorized(DomainError):
    code = "UNAUTHORIZED"

    def __init__(self, message: str = "A valid API key is required.", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class Forbidden(DomainError):
    code = "FORBIDDEN"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    code = "CONFLICT"


class PayloadTooLarge(DomainError):
    code = "PAYLOAD_TOO_LARGE"


class UnsupportedMediaType(DomainError):
    code = "UNSUPPORTED_MEDIA_TYPE"


class ValidationFailed(DomainError):
    code = "VALIDATION_FAILED"


class RateLimited(DomainError):
    code = "RATE_LIMITED"


class InternalError(DomainError):
    code = "INTERNAL"


class NotImplementedHere(DomainError):
    """A path Cloudplane serves for a client's sake but does not do (yet): a 501 that says what to use."""

    code = "NOT_IMPLEMENTED"


class ServiceUnavailable(DomainError):
    code = "SERVICE_UNAVAILABLE"


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

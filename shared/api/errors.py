"""Domain errors as HTTP: the one place that knows which status code each family answers.

The families live in ``shared/errors.py``, below every layer, so storage, providers and the
jobs engine raise them without depending on HTTP. ``MethodNotAllowed`` is the one failure that
exists only at the edge.
"""

from __future__ import annotations

from shared.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    InternalError,
    NotFound,
    NotImplementedHere,
    PayloadTooLarge,
    RateLimited,
    ServiceUnavailable,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
)


class MethodNotAllowed(DomainError):
    code = "METHOD_NOT_ALLOWED"


STATUS_BY_FAMILY: dict[type[DomainError], int] = {
    BadRequest: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    MethodNotAllowed: 405,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    ValidationFailed: 422,
    RateLimited: 429,
    InternalError: 500,
    NotImplementedHere: 501,
    ServiceUnavailable: 503,
}
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="cloudplane"'}


def status_of(error: DomainError) -> int:
    """The status of the nearest family in ``error``'s class hierarchy (500 for the base)."""
    for family in type(error).__mro__:
        status = STATUS_BY_FAMILY.get(family)
        if status is not None:
            return status
    return 500


def headers_of(error: DomainError) -> dict[str, str]:
    """The error's own hints (``Retry-After``) plus what its status requires (a 401's challenge)."""
    headers = dict(error.headers)
    if isinstance(error, Unauthorized):
        headers = {**_CHALLENGE, **headers}
    return headers

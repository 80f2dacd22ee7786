"""The one exception the client raises for an API error, carrying the API's own code and message."""

from __future__ import annotations

import json
from typing import Any

import httpx


class ApiError(Exception):
    """An error answer (4xx/5xx): ``status``, the API's ``code`` and ``message``, ``details``, ``request_id``.

    Every Cloudplane error has the body ``{"error": {"code", "message", "details", "request_id"}}``
    (seed-compatible routes nest it the same way); an answer that is not JSON (a proxy's page)
    keeps its status with the code ``HTTP_<status>``.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}
        self.request_id = request_id
        self.retry_after = retry_after

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        from cloudplane_client.retry import parse_retry_after

        code, message = f"HTTP_{response.status_code}", response.reason_phrase or "error"
        details: dict[str, Any] = {}
        request_id = response.headers.get("X-Request-ID")
        try:
            body = json.loads(response.content or b"null")
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            code = str(error.get("code") or code)
            message = str(error.get("message") or message)
            found = error.get("details")
            details = found if isinstance(found, dict) else {}
            request_id = error.get("request_id") or details.get("request_id") or request_id
        return cls(
            response.status_code,
            code,
            message,
            details,
            request_id,
            parse_retry_after(response.headers.get("Retry-After")),
        )


class JobTimeout(TimeoutError):
    """``wait_for_job`` gave up before the job ended; ``job`` is the last state seen."""

    def __init__(self, job: Any) -> None:
        super().__init__(f"job {job.id} still {job.status} when the wait ran out")
        self.job = job

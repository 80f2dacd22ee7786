"""Cloudplane's Python client: the generated operations (``cloudplane_api``) with the parts every
caller needs added by hand here: errors as :class:`ApiError`, timeouts, retries honouring
``Retry-After`` on 429 and 503, waiting for a job and streaming its results and logs.
"""

from cloudplane_client.errors import ApiError, JobTimeout
from cloudplane_client.retry import AsyncRetryTransport, RetryPolicy, RetryTransport, parse_retry_after
from cloudplane_client.session import TERMINAL, AsyncCloudplane, Cloudplane

__all__ = [
    "TERMINAL",
    "ApiError",
    "AsyncCloudplane",
    "AsyncRetryTransport",
    "Cloudplane",
    "JobTimeout",
    "RetryPolicy",
    "RetryTransport",
    "parse_retry_after",
]

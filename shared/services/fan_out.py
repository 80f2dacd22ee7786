"""One call on many clusters at once, with one deadline for all of them.

Listing pods and placing one ask every server of a tenant; a server that fails or is late
becomes a ``ServerFailure`` entry, never a failed request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from shared.errors import DomainError
from shared.models.pods import ServerFailure
from shared.providers import kubernetes as kube
from shared.storage.servers import ServerRecord

T = TypeVar("T")

# Shared by every request (and every rebuild of the services): threads are reused, and a cluster
# stuck past its timeout only holds a worker until the client's own socket timeout frees it.
_POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="cloudplane-k8s")


class ClusterFanOut:
    """``target`` turns a stored server into a checked ``kube.Target`` (``ClusterError`` if refused)."""

    def __init__(self, target: Callable[[ServerRecord], kube.Target], timeout: float) -> None:
        self._target = target
        self._timeout = timeout

    def run(
        self, records: list[ServerRecord], call: Callable[[kube.Target], T]
    ) -> tuple[dict[str, T], list[ServerFailure]]:
        """``call`` on every server at once; results by server id, and failures (late ones too)."""
        futures: dict[str, Future[T]] = {}
        failures: list[ServerFailure] = []
        for record in records:
            try:
                futures[record.server.id] = _POOL.submit(call, self._target(record))
            except kube.ClusterError as error:
                failures.append(ServerFailure(server_id=record.server.id, reason=error.reason))
        # One deadline for all: each call has its own socket timeout; this bounds the whole wait
        # (a list may take a few round trips) so one slow server cannot hold the others' answer.
        deadline = time.monotonic() + self._timeout * 2 + 0.5
        results: dict[str, T] = {}
        for server_id, future in futures.items():
            try:
                results[server_id] = future.result(timeout=max(0.0, deadline - time.monotonic()))
            except FutureTimeout:
                failures.append(ServerFailure(server_id=server_id, reason="TIMEOUT"))
            except kube.ClusterError as error:
                failures.append(ServerFailure(server_id=server_id, reason=error.reason))
            except DomainError as error:
                failures.append(ServerFailure(server_id=server_id, reason=error.code))
        return results, failures

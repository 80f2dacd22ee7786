"""Calling user functions the way the Python worker does.

Sync functions run on a thread pool so a slow one cannot stall the event loop that
serves HTTP and polls queues; async functions are awaited on that loop. The worker's
``PYTHON_THREADPOOL_THREAD_COUNT`` setting sizes the pool here too.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import azure.functions as func

from devhost.loader import FunctionSpec

logger = logging.getLogger("devhost.functions")


class InvocationContext(func.Context):
    """The ``context`` argument the worker passes to functions that declare one."""

    def __init__(self, spec: FunctionSpec, invocation_id: str) -> None:
        self._spec = spec
        self._invocation_id = invocation_id
        self._local = threading.local()

    @property
    def invocation_id(self) -> str:
        return self._invocation_id

    @property
    def thread_local_storage(self) -> Any:
        return self._local

    @property
    def function_name(self) -> str:
        return self._spec.name

    @property
    def function_directory(self) -> str:
        return str(Path(self._spec.func.__code__.co_filename).parent)

    @property
    def trace_context(self) -> Any:
        return None

    @property
    def retry_context(self) -> Any:
        return None


class FunctionFailed(Exception):
    """The user function raised; the original is ``__cause__`` and has been logged already."""


def default_max_workers() -> int | None:
    """The worker's pool size: ``PYTHON_THREADPOOL_THREAD_COUNT`` or Python's default."""
    value = os.environ.get("PYTHON_THREADPOOL_THREAD_COUNT")
    return int(value) if value else None


class Invoker:
    """Runs one invocation at a time per call, logging like the host's Executing/Executed lines."""

    def __init__(self, max_workers: int | None = None) -> None:
        workers = max_workers if max_workers is not None else default_max_workers()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="devhost-fn")

    async def invoke(self, spec: FunctionSpec, value: Any, reason: str) -> Any:
        """Call the function with its trigger value; a failure is logged, then raised as FunctionFailed."""
        invocation_id = str(uuid.uuid4())
        kwargs: dict[str, Any] = {spec.param: value}
        if spec.wants_context:
            kwargs["context"] = InvocationContext(spec, invocation_id)
        logger.info("Executing 'Functions.%s' (Reason='%s', Id=%s)", spec.name, reason, invocation_id)
        started = time.perf_counter()
        try:
            if spec.is_async:
                result = await spec.func(**kwargs)
            else:
                call = functools.partial(contextvars.copy_context().run, spec.func, **kwargs)
                result = await asyncio.get_running_loop().run_in_executor(self._executor, call)
        except Exception as error:
            elapsed = (time.perf_counter() - started) * 1000
            logger.exception(
                "Executed 'Functions.%s' (Failed, Id=%s, Duration=%dms)", spec.name, invocation_id, elapsed
            )
            raise FunctionFailed(spec.name) from error
        elapsed = (time.perf_counter() - started) * 1000
        logger.info("Executed 'Functions.%s' (Succeeded, Id=%s, Duration=%dms)", spec.name, invocation_id, elapsed)
        return result

    def shutdown(self) -> None:
        """Drop queued calls; running ones finish on their own (threads cannot be killed)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

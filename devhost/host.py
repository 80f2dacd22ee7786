"""The host object: one ASGI app that serves HTTP triggers and runs queue and timer triggers.

Background triggers start and stop with the ASGI lifespan, so under uvicorn everything
shares one event loop and one shutdown path; in-process users (tests, other servers)
call ``start``/``stop`` themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from types import FrameType
from typing import Any

import uvicorn
from azure.storage.queue import QueueServiceClient

from devhost.asgi import HttpFrontend, Receive, Scope, Send
from devhost.config import HostConfig, resolve_setting_expressions
from devhost.invoker import Invoker
from devhost.loader import HTTP_TRIGGER, QUEUE_TRIGGER, TIMER_TRIGGER, FunctionSpec, index_functions
from devhost.queues import QueuePoller, queue_service_client
from devhost.timers import TimerRunner

logger = logging.getLogger(__name__)
MAX_IO_THREADS = 64


class FunctionHost:
    """Serves a function app's triggers according to host.json."""

    def __init__(
        self,
        functions: Sequence[FunctionSpec],
        config: HostConfig | None = None,
        *,
        queues: bool = True,
        max_workers: int | None = None,
    ) -> None:
        self.functions = list(functions)
        self.config = config or HostConfig()
        self.queues_enabled = queues
        self.invoker = Invoker(max_workers)
        self.http = HttpFrontend(
            [f for f in self.functions if f.trigger_type == HTTP_TRIGGER], self.config.http, self.invoker
        )
        self._io: ThreadPoolExecutor | None = None
        self._runners: list[QueuePoller | TimerRunner] = []
        self._tasks: list[asyncio.Task[None]] = []

    @classmethod
    def from_app(cls, app: Any, config: HostConfig | None = None, **options: Any) -> FunctionHost:
        """Index a ``func.FunctionApp`` (once: the SDK refuses a second indexing)."""
        return cls(index_functions(app), config, **options)

    def describe(self, base_url: str = "http://127.0.0.1:7071") -> list[str]:
        """One line per function, in the spirit of ``func start``'s listing."""
        prefix = f"/{self.config.http.route_prefix}" if self.config.http.route_prefix else ""
        lines = []
        for spec in self.functions:
            trigger = spec.trigger
            if spec.trigger_type == HTTP_TRIGGER:
                methods = ",".join(trigger.get("methods") or []) or "ALL"
                lines.append(f"{spec.name}: [{methods}] {base_url}{prefix}/{trigger.get('route') or spec.name}")
            elif spec.trigger_type == QUEUE_TRIGGER:
                disabled = "" if self.queues_enabled else " (disabled: --no-queues)"
                lines.append(f"{spec.name}: queueTrigger {trigger.get('queueName')}{disabled}")
            else:
                startup = " (runOnStartup)" if trigger.get("runOnStartup") else ""
                lines.append(f"{spec.name}: timerTrigger {trigger.get('schedule')}{startup}")
        return lines

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point: lifespan drives start/stop, HTTP goes to the functions."""
        if scope["type"] == "http":
            await self.http(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        else:
            await send({"type": "websocket.close", "code": 1000})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.start()
                except Exception as error:
                    logger.exception("Host startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def start(self) -> None:
        """Start queue pollers and timers; configuration errors raise here, before serving."""
        runners: list[QueuePoller | TimerRunner] = []
        queue_specs = [f for f in self.functions if f.trigger_type == QUEUE_TRIGGER] if self.queues_enabled else []
        if queue_specs:
            options = self.config.queues
            size = len(queue_specs) * (options.batch_size + options.new_batch_threshold + 1)
            io = self._io = ThreadPoolExecutor(max_workers=min(MAX_IO_THREADS, size), thread_name_prefix="devhost-io")
            services: dict[str, QueueServiceClient] = {}
            for spec in queue_specs:
                connection = str(spec.trigger.get("connection") or "AzureWebJobsStorage")
                if connection not in services:
                    services[connection] = queue_service_client(connection)
                runners.append(QueuePoller(spec, options, self.invoker, io, services[connection]))
        for spec in self.functions:
            if spec.trigger_type == TIMER_TRIGGER:
                schedule = resolve_setting_expressions(str(spec.trigger["schedule"]))
                runners.append(TimerRunner(spec, schedule, self.invoker))
        self._runners = runners
        self._tasks = [asyncio.create_task(self._supervise(r), name=f"devhost:{r.spec.name}") for r in runners]

    @staticmethod
    async def _supervise(runner: QueuePoller | TimerRunner) -> None:
        """Run a trigger loop; a crash is logged, never silently lost with its task."""
        try:
            await runner.run()
        except Exception:
            logger.exception("%s: trigger loop crashed; the function will not fire again", runner.spec.name)

    async def stop(self) -> None:
        """Stop triggers, let running queue invocations finish, release the thread pools."""
        for runner in self._runners:
            runner.stop()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks, self._runners = [], []
        self.invoker.shutdown()
        if self._io is not None:
            self._io.shutdown(wait=False, cancel_futures=True)
            self._io = None


class _Server(uvicorn.Server):
    """uvicorn's server without re-raising the signal after a graceful shutdown.

    uvicorn re-raises SIGINT/SIGTERM once it has shut down, which turns a clean stop
    into exit status 130/143; a development host asked to stop should exit 0.
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        handled = (signal.SIGINT, signal.SIGTERM)
        try:
            previous = {sig: signal.signal(sig, self._on_signal) for sig in handled}
        except ValueError:  # not the main thread: signals are the embedder's business
            yield
            return
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, sig: int, frame: FrameType | None) -> None:
        logger.info("Received %s; stopping", signal.Signals(sig).name)
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        self.should_exit = True


async def serve(host: FunctionHost, bind: str = "127.0.0.1", port: int = 7071) -> None:
    """Serve until SIGINT/SIGTERM (or ``should_exit``), then shut down cleanly."""
    config = uvicorn.Config(
        host, host=bind, port=port, lifespan="on", log_config=None, access_log=False, timeout_graceful_shutdown=10
    )
    await _Server(config).serve()

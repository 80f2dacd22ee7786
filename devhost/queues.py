"""Queue triggers: a poller per function with the Storage Queues extension's semantics.

What the extension does, and this poller copies:

* receive up to ``batchSize`` messages, each hidden for 10 minutes while it runs (the
  lease is renewed at half-time), and fetch the next batch once the number in flight has
  dropped to ``newBatchThreshold``, so up to batchSize + newBatchThreshold run at once;
* when the queue is empty, back off exponentially up to ``maxPollingInterval``;
* on success delete the message; on failure make it visible again after
  ``visibilityTimeout``, or, once ``dequeueCount`` reaches ``maxDequeueCount``, copy it
  to ``<queue>-poison`` and delete it;
* with ``messageEncoding: base64`` (the default) the wire text is base64; a message that
  does not decode goes straight to the poison queue.

Messages are read and written as raw wire text, so the poison copy is byte-identical.
Storage calls are blocking SDK calls, run on a dedicated thread pool to keep them apart
from user functions.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import functools
import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from azure.core.exceptions import ResourceExistsError
from azure.functions.queue import QueueMessage as FunctionQueueMessage
from azure.storage.queue import QueueClient, QueueMessage, QueueServiceClient

from devhost.config import QueueOptions, resolve_setting_expressions
from devhost.invoker import FunctionFailed, Invoker
from devhost.loader import FunctionSpec

logger = logging.getLogger(__name__)
R = TypeVar("R")

MIN_POLLING_INTERVAL = 0.1
LEASE_SECONDS = 600
"""How long a message stays hidden while its function runs, as in the extension."""
DRAIN_SECONDS = 30.0
"""How long stopping waits for running invocations before abandoning them."""


def queue_service_client(connection: str | None, environ: Mapping[str, str] | None = None) -> QueueServiceClient:
    """Resolve a trigger's ``connection`` the way the host does.

    The name is an app setting holding a connection string (``AzureWebJobs<name>`` is
    tried too); an empty name means ``AzureWebJobsStorage``. Identity-based connections
    (``<name>__queueServiceUri`` or ``<name>__accountName``) use DefaultAzureCredential.
    """
    env = os.environ if environ is None else environ
    name = connection or "AzureWebJobsStorage"
    for candidate in (name, f"AzureWebJobs{name}"):
        if env.get(candidate):
            return QueueServiceClient.from_connection_string(env[candidate])
    for candidate in (name, f"AzureWebJobs{name}"):
        uri = env.get(f"{candidate}__queueServiceUri")
        account = env.get(f"{candidate}__accountName")
        if uri or account:
            from azure.identity import DefaultAzureCredential

            url = uri or f"https://{account}.queue.core.windows.net"
            return QueueServiceClient(url, credential=DefaultAzureCredential())
    raise ValueError(f"storage connection setting {name!r} is not defined")


class QueuePoller:
    """Feeds one queue-triggered function until stopped."""

    def __init__(
        self,
        spec: FunctionSpec,
        options: QueueOptions,
        invoker: Invoker,
        io: ThreadPoolExecutor,
        service: QueueServiceClient | None = None,
    ) -> None:
        self.spec = spec
        self.options = options
        self.queue_name = resolve_setting_expressions(str(spec.trigger["queueName"])).lower()
        service = service or queue_service_client(spec.trigger.get("connection"))
        self._queue: QueueClient = service.get_queue_client(self.queue_name)
        self._poison: QueueClient = service.get_queue_client(f"{self.queue_name}-poison")
        self._invoker = invoker
        self._io = io
        self._stopping = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()

    def stop(self) -> None:
        """Stop fetching; running invocations are drained by ``run``."""
        self._stopping.set()

    async def run(self) -> None:
        """Poll until stopped, then wait for in-flight messages (bounded by DRAIN_SECONDS)."""
        try:
            await self._poll()
        finally:
            if self._in_flight:
                _, pending = await asyncio.wait(self._in_flight, timeout=DRAIN_SECONDS)
                for task in pending:
                    task.cancel()
                if pending:
                    logger.warning("%s: abandoned %d running message(s) at shutdown", self.spec.name, len(pending))

    async def _call(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._io, functools.partial(fn, *args, **kwargs))

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _ensure_queues(self) -> None:
        """Create the queue and its poison queue, retrying while storage is unreachable."""
        delay = MIN_POLLING_INTERVAL
        while not self._stopping.is_set():
            try:
                for client in (self._queue, self._poison):
                    with contextlib.suppress(ResourceExistsError):
                        await self._call(client.create_queue)
                return
            except Exception:
                logger.exception("%s: cannot create queue %s; retrying", self.spec.name, self.queue_name)
                await self._sleep(delay)
                delay = min(delay * 2, self.options.max_polling_interval)

    async def _poll(self) -> None:
        await self._ensure_queues()
        delay = MIN_POLLING_INTERVAL
        batch = self.options.batch_size
        while not self._stopping.is_set():
            if len(self._in_flight) > self.options.new_batch_threshold:
                stop_waiter = asyncio.ensure_future(self._stopping.wait())
                await asyncio.wait({*self._in_flight, stop_waiter}, return_when=asyncio.FIRST_COMPLETED)
                stop_waiter.cancel()
                continue
            try:
                messages = await self._call(self._receive, batch)
            except Exception:
                logger.exception("%s: receiving from %s failed", self.spec.name, self.queue_name)
                messages = []
            if messages:
                delay = MIN_POLLING_INTERVAL
                for message in messages:
                    task = asyncio.create_task(self._process(message))
                    self._in_flight.add(task)
                    task.add_done_callback(self._in_flight.discard)
                continue
            await self._sleep(delay)
            delay = min(delay * 2, self.options.max_polling_interval)

    def _receive(self, count: int) -> list[QueueMessage]:
        """One Get Messages call: the first page only, as later pages would be extra calls."""
        pages = self._queue.receive_messages(
            max_messages=count, messages_per_page=count, visibility_timeout=LEASE_SECONDS
        ).by_page()
        return list(next(pages, []))

    def _decode(self, content: str) -> bytes:
        if self.options.message_encoding == "none":
            return content.encode("utf-8")
        return base64.b64decode("".join(content.split()), validate=True)

    async def _process(self, message: QueueMessage) -> None:
        """Run one message to completion; storage errors are logged, never left in the task."""
        try:
            await self._handle(message)
        except Exception:
            logger.exception("%s: handling message %s failed", self.spec.name, message.id)

    async def _handle(self, message: QueueMessage) -> None:
        """Invoke, then delete the message, release it for a retry, or poison it."""
        try:
            body = self._decode(message.content or "")
        except (binascii.Error, ValueError):
            logger.error(
                "%s: message %s is not valid %s; moving it to queue '%s-poison'",
                self.spec.name,
                message.id,
                self.options.message_encoding,
                self.queue_name,
            )
            await self._poison_message(message)
            return
        dequeue_count = message.dequeue_count or 1
        if dequeue_count > self.options.max_dequeue_count:
            # A host stopped while running it: its attempts are used up.
            self._log_poison(message)
            await self._poison_message(message)
            return
        reason = f"New queue message detected on '{self.queue_name}'."
        invocation = asyncio.ensure_future(self._invoker.invoke(self.spec, self._trigger_value(message, body), reason))
        lease = asyncio.create_task(self._renew_lease(message, invocation))
        try:
            await invocation
            succeeded = True
        except FunctionFailed:  # logged by the invoker
            succeeded = False
        finally:
            lease.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await lease
        if succeeded:
            await self._call(self._queue.delete_message, message.id, message.pop_receipt)
        elif dequeue_count >= self.options.max_dequeue_count:
            self._log_poison(message)
            await self._poison_message(message)
        else:
            await self._call(
                self._queue.update_message,
                message.id,
                message.pop_receipt,
                visibility_timeout=int(self.options.visibility_timeout),
            )

    async def _renew_lease(self, message: QueueMessage, invocation: asyncio.Future[Any]) -> None:
        """Keep the message hidden while the function runs; updates its pop receipt."""
        while not invocation.done():
            await asyncio.sleep(LEASE_SECONDS / 2)
            if invocation.done():
                return
            try:
                updated = await self._call(
                    self._queue.update_message, message.id, message.pop_receipt, visibility_timeout=LEASE_SECONDS
                )
                message.pop_receipt = updated.pop_receipt
                message.next_visible_on = updated.next_visible_on
            except Exception:
                logger.exception("%s: renewing the lease of message %s failed", self.spec.name, message.id)

    def _log_poison(self, message: QueueMessage) -> None:
        logger.warning(
            "%s: message %s has reached MaxDequeueCount of %d; moving it to queue '%s-poison'",
            self.spec.name,
            message.id,
            self.options.max_dequeue_count,
            self.queue_name,
        )

    async def _poison_message(self, message: QueueMessage) -> None:
        """Copy the raw wire text to the poison queue, then delete the original."""
        await self._call(self._poison.send_message, message.content)
        await self._call(self._queue.delete_message, message.id, message.pop_receipt)

    def _trigger_value(self, message: QueueMessage, body: bytes) -> Any:
        """What the worker would bind: a QueueMessage, or the body for str/bytes parameters."""
        if self.spec.annotation in (str, "str"):
            return body.decode("utf-8")
        if self.spec.annotation in (bytes, "bytes"):
            return body
        return FunctionQueueMessage(  # type: ignore[no-untyped-call]
            id=message.id,
            body=body,
            dequeue_count=message.dequeue_count,
            expiration_time=message.expires_on,
            insertion_time=message.inserted_on,
            time_next_visible=message.next_visible_on,
            pop_receipt=message.pop_receipt,
        )

"""Queue triggers through a real devhost process against Azurite, with host.json semantics.

The sample host runs with batchSize 4, newBatchThreshold 2, visibilityTimeout 1 s,
maxDequeueCount 3 and maxPollingInterval 2 s (see ``sample_host.QUEUE_OPTIONS``).
"""

from __future__ import annotations

import itertools
import time
import uuid
from datetime import UTC, datetime, timedelta

from azure.storage.queue import QueueClient

from tests.devhost.sample_host import QUEUE_OPTIONS, SampleHost
from tests.support.polling import wait_until

BATCH_SIZE = int(QUEUE_OPTIONS["batchSize"])
THRESHOLD = int(QUEUE_OPTIONS["newBatchThreshold"])
MAX_DEQUEUE = int(QUEUE_OPTIONS["maxDequeueCount"])
VISIBILITY = 1.0
MAX_POLLING = 2.0


def message_count(queue: QueueClient) -> int:
    """Messages in the queue, hidden ones included."""
    return int(queue.get_queue_properties().approximate_message_count or 0)


def test_base64_message_is_delivered_once_and_deleted(sample_host: SampleHost) -> None:
    queue = sample_host.queue("echo")  # the name comes from %DEVHOST_QUEUE_PREFIX% in local.settings.json
    body = f"hello {uuid.uuid4()} é"
    before = datetime.now(UTC).replace(microsecond=0)  # storage stamps whole seconds
    sent = wait_until(lambda: _send(queue, body), what="queue created by the host")
    event = wait_until(lambda: [e for e in sample_host.events("echo") if e["body"] == body], what="delivery")[0]
    assert event["id"] == sent
    assert event["dequeue_count"] == 1
    inserted = datetime.fromisoformat(event["inserted"])
    assert inserted.utcoffset() == timedelta(0)
    assert before <= inserted <= datetime.fromtimestamp(event["at"], UTC), "stamped by storage when it was sent"
    wait_until(lambda: message_count(queue) == 0, what="message deleted after success")


def test_async_queue_function(sample_host: SampleHost) -> None:
    queue = sample_host.queue("async")
    body = f"async {uuid.uuid4()}"
    wait_until(lambda: _send(queue, body), what="queue created by the host")
    wait_until(lambda: [e for e in sample_host.events("async") if e["body"] == body], what="delivery")
    wait_until(lambda: message_count(queue) == 0, what="message deleted after the coroutine returned")
    assert len([e for e in sample_host.events("async") if e["body"] == body]) == 1


def test_batch_size_and_new_batch_threshold(sample_host: SampleHost) -> None:
    """At most batchSize per fetch; the next fetch comes once in-flight drops to newBatchThreshold.

    So, as in Azure, up to batchSize + newBatchThreshold run at once, never more.
    """
    queue = sample_host.queue("batch")
    bodies = ["long-1", "long-2"] + [f"short-{i}" for i in range(8)]
    wait_until(lambda: _send(queue, bodies[0]), what="queue created by the host")
    for body in bodies[1:]:
        queue.send_message(body)
    wait_until(lambda: len(sample_host.events("batch_end")) == len(bodies), timeout=40, what="batch processed")

    timeline = sorted(
        [(e["at"], 1) for e in sample_host.events("batch_start")]
        + [(e["at"], -1) for e in sample_host.events("batch_end")]
    )
    running = peak = started_before_first_end = 0
    first_end_seen = False
    for _, change in timeline:
        running += change
        peak = max(peak, running)
        first_end_seen = first_end_seen or change < 0
        if change > 0 and not first_end_seen:
            started_before_first_end += 1
    assert started_before_first_end <= BATCH_SIZE
    assert peak <= BATCH_SIZE + THRESHOLD
    assert sample_host.batch_max() <= BATCH_SIZE + THRESHOLD
    assert peak > BATCH_SIZE, "the next batch should start while the two long messages still run"
    wait_until(lambda: message_count(queue) == 0, what="all deleted")


def test_failures_retry_after_visibility_timeout_then_poison(sample_host: SampleHost) -> None:
    queue = sample_host.queue("fail")
    poison = sample_host.queue("fail-poison")
    body = f"doomed {uuid.uuid4()}"
    wait_until(lambda: _send(queue, body), what="queue created by the host")

    poisoned = wait_until(lambda: list(poison.peek_messages(max_messages=32)), timeout=60, what="poison message")
    assert [m.content for m in poisoned] == [body]  # the original body, in the same (base64) encoding
    attempts = [e for e in sample_host.events("fail") if e["body"] == body]
    assert [a["dequeue_count"] for a in attempts] == list(range(1, MAX_DEQUEUE + 1))
    gaps = [later["at"] - earlier["at"] for earlier, later in itertools.pairwise(attempts)]
    # Never before the visibility timeout (the behaviour); the upper bound only tells "about a
    # second" from the 30 s a missing setting would give, with room for a loaded machine.
    assert all(VISIBILITY <= gap < 10.0 for gap in gaps), gaps
    wait_until(lambda: message_count(queue) == 0, what="original deleted")
    log = sample_host.process.log_text()
    assert "ValueError: failing on purpose" in log
    assert f"has reached MaxDequeueCount of {MAX_DEQUEUE}" in log


def test_idle_queue_is_polled_within_max_polling_interval(sample_host: SampleHost) -> None:
    """After backing off on an empty queue, a new message still arrives within ~maxPollingInterval.

    Timing is the behaviour here. The poller doubles its sleep from 0.1 s; uncapped, after 7 s
    idle it would be inside a 6.4 s sleep (from 6.3 s to 12.7 s), so a message sent then would
    wait 5.7 s or more. Capped at 2 s it waits at most 2 s plus the call: the bound below sits
    between the two with room for a loaded machine.
    """
    queue = sample_host.queue("idle")
    idle_for = 7.0 - (time.monotonic() - sample_host.started)
    if idle_for > 0:
        time.sleep(idle_for)  # idleness is the precondition: nothing to wait on but time
    body = f"wake {uuid.uuid4()}"
    sent_at = time.time()
    queue.send_message(body)
    event = wait_until(lambda: [e for e in sample_host.events("idle") if e["body"] == body], timeout=20)[0]
    assert event["at"] - sent_at <= MAX_POLLING + 2.5


def _send(queue: QueueClient, body: str) -> str | None:
    """Send once the host has created the queue; None (retry) until then."""
    try:
        return str(queue.send_message(body).id)
    except Exception as error:  # QueueNotFound until the poller has started
        if "QueueNotFound" in str(error):
            return None
        raise

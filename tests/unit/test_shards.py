"""The sharded layout's hash and names (shared/jobs/shards.py): stable across processes, even,
and the defaults naming exactly today's queue, partition and account."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from shared.errors import BadRequest
from shared.jobs import shards
from shared.jobs.shards import Layout, partition_index, stable_hash, tenant_of, with_partition
from shared.jobs.store import created_at_of, new_job_id, now
from shared.storage.pagination import decode_key_cursor, encode_key_cursor

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ["job_fe5dcad23cdc9604f3a7f6", "tenant-1", "", "ünïcode", "job-events"]


def _in_a_new_process(code: str, **environment: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip()


def test_the_hash_is_the_same_in_every_process() -> None:
    """Python's own hash() is salted per process; the layout's must not be, or two instances would
    disagree on a job's queue and partition."""
    here = [stable_hash(text) for text in SAMPLES]
    code = f"from shared.jobs.shards import stable_hash; print([stable_hash(t) for t in {SAMPLES!r}])"
    for seed in ("1", "2", "random"):
        assert json.loads(_in_a_new_process(code, PYTHONHASHSEED=seed)) == here
    # Pinned: changing the function would move every existing job's queue and idempotency partition.
    assert stable_hash("job_fe5dcad23cdc9604f3a7f6") == 9928909549795963685
    assert stable_hash("tenant-1") == 2086557690168676083
    assert 0 <= stable_hash("x") < 2**64


@pytest.mark.parametrize("count", [2, 3, 4, 32, 117])
def test_new_job_ids_spread_evenly(count: int) -> None:
    """20,000 fresh ids over ``count`` shards: every shard within 10% of the mean (a chi-square
    statistic under its 0.1% critical value would be looser; this is plainer to read)."""
    ids = [new_job_id() for _ in range(20_000)]
    spread = Counter(shards.shard(job_id, count) for job_id in ids)
    mean = len(ids) / count
    assert set(spread) == set(range(count))
    assert max(abs(value - mean) for value in spread.values()) < 0.1 * mean + 4 * mean**0.5


def test_partitions_are_written_into_new_ids_and_read_back() -> None:
    at = now()
    ids = [new_job_id(at, partitions=4) for _ in range(4_000)]
    spread = Counter(partition_index(job_id) for job_id in ids)
    assert set(spread) == {0, 1, 2, 3} and min(spread.values()) > 800
    for job_id in ids[:200]:
        index = partition_index(job_id)
        assert (job_id.endswith(f"-{index}")) is (index > 0)
        assert created_at_of(job_id) == created_at_of(ids[0])  # the clock is untouched
        partition = shards.job_partition("tenant", job_id)
        assert partition == ("tenant" if index == 0 else f"tenant:{index}")
        assert tenant_of(partition, job_id) == "tenant"
    # An id made with one partition keeps today's shape, whatever P is now: raising P loses no job.
    old = new_job_id(at)
    assert len(old) == 26 and partition_index(old) == 0 and with_partition(old, 1) == old
    assert shards.job_partition("tenant", old) == "tenant"
    # Not a partition mark: nothing, a leading zero, or no digits.
    assert [partition_index(text) for text in ("job_abc-", "job_abc-03", "job_abc-x", "-3")] == [0, 0, 0, 0]


def test_the_default_layout_names_todays_queue_partition_and_account() -> None:
    layout = Layout()
    assert not layout.sharded
    job_id = new_job_id()
    assert layout.work_queue(job_id) == "jobs" and layout.events_queue(job_id) == "job-events"
    assert layout.partitions_of("t") == ["t"] and layout.partition_account("t") == 0
    assert layout.queue_account("jobs-poison") == 0
    assert new_job_id(partitions=1)[:4] == "job_" and "-" not in new_job_id(partitions=1)


def test_a_sharded_layout_names_its_queues_and_accounts() -> None:
    layout = Layout(work_queues=3, event_queues=2, partitions=4, accounts=2)
    assert layout.sharded
    ids = [new_job_id() for _ in range(300)]
    assert {layout.work_queue(job_id) for job_id in ids} == {"jobs", "jobs-1", "jobs-2"}
    assert {layout.events_queue(job_id) for job_id in ids} == {"job-events", "job-events-1"}
    assert layout.partitions_of("t") == ["t", "t:1", "t:2", "t:3"]
    assert [layout.queue_account(name) for name in ("jobs", "jobs-1", "jobs-2", "jobs-1-poison", "job-events-1")] == [
        0,
        1,
        0,
        1,
        1,
    ]
    assert shards.work_queue_names(3) == ["jobs", "jobs-1", "jobs-2"]
    assert len(shards.work_queue_names()) == shards.MAX_WORK_QUEUES
    with pytest.raises(ValueError):
        Layout(work_queues=shards.MAX_WORK_QUEUES + 1)
    from shared.config import Settings

    bounds = {type(item).__name__: item for item in Settings.model_fields["work_queues"].metadata}
    assert bounds["Le"].le == shards.MAX_WORK_QUEUES, "the setting allows exactly the queues with a trigger"
    with pytest.raises(ValueError):
        Layout(partitions=0)


def test_each_work_queue_trigger_connects_to_the_account_that_holds_its_queue() -> None:
    code = (
        "import json, function_app;"
        "print(json.dumps({f.get_function_name(): [b.connection for b in f.get_bindings()"
        " if b.type == 'queueTrigger'] for f in function_app.app.get_functions()}))"
    )
    default = json.loads(_in_a_new_process(code))
    steps = {name for name in default if "job_step" in name}
    assert steps == {"run_job_step", "fail_poisoned_job_step"}, "unsharded: today's two triggers, no more"
    assert default["run_job_step"] == default["fail_poisoned_job_step"] == ["AzureWebJobsStorage"]
    one = json.loads(_in_a_new_process(code, CLOUDPLANE_WORK_QUEUES="3"))
    two = json.loads(_in_a_new_process(code, CLOUDPLANE_WORK_QUEUES="3", CLOUDPLANE_JOB_ACCOUNTS="2"))
    assert len([name for name in one if "job_step" in name]) == 2 * shards.MAX_WORK_QUEUES, "all 40, not 3"
    for index in range(shards.MAX_WORK_QUEUES):
        suffix = "" if index == 0 else f"_{index}"
        expected = "AzureWebJobsStorage" if index % 2 == 0 else "CLOUDPLANE_JOBS_ACCOUNT_1"
        for name in (f"run_job_step{suffix}", f"fail_poisoned_job_step{suffix}"):
            assert one[name] == ["AzureWebJobsStorage"]
            assert two[name] == [expected], name


def test_the_merged_listings_cursor_round_trips_and_refuses_others() -> None:
    cursor = encode_key_cursor("job_fe5dcad23cdc9604f3a7f6-3")
    assert decode_key_cursor(cursor) == "job_fe5dcad23cdc9604f3a7f6-3"
    assert decode_key_cursor(None) is None and decode_key_cursor("") is None
    for bad in ("not base64!", "bm90LWEtY3Vyc29y", encode_key_cursor("x")[:-2] + "\x00"):
        with pytest.raises(BadRequest):
            decode_key_cursor(bad)

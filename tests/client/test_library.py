"""The Python client against the real app (local host, Azurite): the README's example, sync and async."""

from __future__ import annotations

import asyncio
import csv
import json
import uuid

import pytest
from cloudplane_api.api.jobs import get_job_results, list_jobs, submit_job
from cloudplane_api.api.tenants import get_me
from cloudplane_api.models import GetJobResultsFormat, JobCreate
from cloudplane_client import ApiError, AsyncCloudplane, Cloudplane

from tests.client.conftest import new_tenant
from tests.support.devhost_process import DevHost

ECHO = {"type": "diagnostics.echo", "name": "from python", "configuration": {"items": 200, "batch_size": 50}}


def test_submit_wait_stream_and_logs(host: DevHost) -> None:
    key = new_tenant(host.base_url, f"py-{uuid.uuid4().hex[:8]}")["api_key"]["key"]
    with Cloudplane(host.base_url, key, timeout=30) as cp:
        assert cp.call(get_me).admin is False
        job = cp.call(submit_job, body=JobCreate.from_dict(ECHO), headers={"Idempotency-Key": "readme-1"})
        again = cp.call(submit_job, body=JobCreate.from_dict(ECHO), headers={"Idempotency-Key": "readme-1"})
        assert again.id == job.id  # the same key and body: the first job, not a second one

        seen: list[float] = []
        done = cp.wait_for_job(job.id, timeout=120, interval=0.2, on_update=lambda j: seen.append(j.progress.percent))
        assert str(done.status) == "completed" and done.progress.processed == 200
        assert seen == sorted(seen) and seen[-1] == 100

        # 200 rows are over the host's 1 KB inline limit: a 303 to Blob storage, followed without the key.
        redirected = cp.request(get_job_results, job_id=job.id, format_=GetJobResultsFormat.CSV)
        assert redirected.status_code == 303 and "127.0.0.1" in redirected.headers["Location"]
        lines = list(cp.iter_result_lines(job.id))
        assert len(list(csv.DictReader(lines))) == 200
        rows = json.loads(b"".join(cp.stream_results(job.id, "json")))["rows"]
        assert len(rows) == 200

        types = [event["message"]["message_type"] for event in cp.iter_logs(job.id)]
        assert types[0] == "job_created" and types[-1] == "job_completed"

        page = cp.call(list_jobs, status="completed", limit=100)
        assert job.id in {item.id for item in page.items}
        with pytest.raises(ApiError) as raised:
            cp.call(submit_job, body=JobCreate.from_dict({**ECHO, "type": "no.such.type"}))
        assert raised.value.status == 400 and raised.value.code == "UNKNOWN_JOB_TYPE"
        with pytest.raises(ApiError) as missing:
            cp.get_job("job_" + "0" * 22)
        assert missing.value.status == 404 and missing.value.request_id


def test_the_async_client_against_the_app(host: DevHost) -> None:
    key = new_tenant(host.base_url, f"pya-{uuid.uuid4().hex[:8]}")["api_key"]["key"]

    async def scenario() -> tuple[str, bytes]:
        async with AsyncCloudplane(host.base_url, key) as cp:
            job = await cp.call(submit_job, body=JobCreate.from_dict(ECHO))
            done = await cp.wait_for_job(job.id, timeout=120, interval=0.2)
            body = b"".join([chunk async for chunk in cp.stream_results(job.id, "csv")])
            return str(done.status), body

    status, body = asyncio.run(scenario())
    assert status == "completed" and body.count(b"\n") == 201

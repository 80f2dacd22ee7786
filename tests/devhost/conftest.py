"""A devhost subprocess serving ``sample_app`` against the session's Azurite."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from tests.devhost.sample_host import SampleHost, write_script_root
from tests.support.azurite import Azurite
from tests.support.devhost_process import DevHost


@pytest.fixture(scope="session")
def sample_host(azurite: Azurite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleHost]:
    prefix = f"dh{uuid.uuid4().hex[:8]}"
    root = write_script_root(
        tmp_path_factory.mktemp("devhost-root"),
        {
            "AzureWebJobsStorage": "UseDevelopmentStorage=true",  # overridden by the environment below
            "DEVHOST_QUEUE_PREFIX": prefix,
            "SAMPLE_FROM_FILE": "file",
            "SAMPLE_OVERRIDDEN": "file",
        },
    )
    env = {"AzureWebJobsStorage": azurite.connection_string, "SAMPLE_OVERRIDDEN": "env", "CLOUDPLANE_LOG_LEVEL": "INFO"}
    process = DevHost("sample_app:app", env=env, cwd=root)
    process.start()
    try:
        yield SampleHost(process, prefix, azurite.connection_string, time.monotonic())
    finally:
        process.stop()

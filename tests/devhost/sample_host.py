"""The sample app's script root and a handle on the devhost process serving it."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from azure.storage.queue import QueueClient, TextBase64DecodePolicy, TextBase64EncodePolicy

from tests.support.devhost_process import DevHost

HERE = Path(__file__).parent
QUEUE_OPTIONS: dict[str, int | str] = {
    "batchSize": 4,
    "newBatchThreshold": 2,
    "visibilityTimeout": "00:00:01",
    "maxDequeueCount": 3,
    "maxPollingInterval": "00:00:02",
    "messageEncoding": "base64",
}


def write_script_root(root: Path, settings: dict[str, str]) -> Path:
    """A script root like a deployed app's: host.json, local.settings.json and the app module."""
    root.mkdir(parents=True, exist_ok=True)
    host = {"version": "2.0", "extensions": {"http": {"routePrefix": "api"}, "queues": QUEUE_OPTIONS}}
    (root / "host.json").write_text(json.dumps(host), encoding="utf-8")
    (root / "local.settings.json").write_text(json.dumps({"IsEncrypted": False, "Values": settings}), encoding="utf-8")
    shutil.copy(HERE / "sample_app.py", root / "sample_app.py")
    return root


@dataclass
class SampleHost:
    """The running host plus helpers to talk to it and to its queues."""

    process: DevHost
    prefix: str
    connection_string: str
    started: float

    @property
    def url(self) -> str:
        return self.process.base_url

    def queue(self, suffix: str) -> QueueClient:
        """A client that writes base64, as app code and ``func`` expect by default."""
        return QueueClient.from_connection_string(
            self.connection_string,
            f"{self.prefix}-{suffix}",
            message_encode_policy=TextBase64EncodePolicy(),
            message_decode_policy=TextBase64DecodePolicy(),
        )

    def events(self, kind: str) -> list[dict[str, Any]]:
        data = httpx.get(f"{self.url}/api/_events", timeout=5).json()
        return list(data["events"].get(kind, []))

    def batch_max(self) -> int:
        return int(httpx.get(f"{self.url}/api/_events", timeout=5).json()["batch_max"])

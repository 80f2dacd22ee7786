"""Host configuration: ``host.json``, ``local.settings.json`` and app-setting lookups.

Each reader copies the Functions host's defaults and parsing rules, so a project that
runs here behaves the same under ``func start`` and in Azure.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_TIMESPAN = re.compile(r"^(?:(?P<days>\d+)\.)?(?P<h>\d+):(?P<m>\d+)(?::(?P<s>\d+(?:\.\d+)?))?$")
_SETTING_EXPRESSION = re.compile(r"%([^%]+)%")
MAX_QUEUE_BATCH_SIZE = 32
"""Azure Queue Storage hands out at most 32 messages per receive call."""


def parse_timespan(value: str | int | float) -> float:
    """Seconds in a .NET TimeSpan string (``[d.]hh:mm[:ss[.fff]]``).

    Numbers are read as milliseconds, the unit host.json v1 used for
    ``maxPollingInterval``, so old files keep their meaning.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a TimeSpan: {value!r}")
    if isinstance(value, (int, float)):
        return float(value) / 1000.0
    match = _TIMESPAN.match(value.strip())
    if not match:
        raise ValueError(f"not a TimeSpan (expected hh:mm:ss): {value!r}")
    days = int(match["days"] or 0)
    return days * 86400 + int(match["h"]) * 3600 + int(match["m"]) * 60 + float(match["s"] or 0)


@dataclass(frozen=True)
class HttpOptions:
    """``extensions.http``; -1 means unbounded, as in the Functions host."""

    route_prefix: str = "api"
    max_concurrent_requests: int = -1
    max_outstanding_requests: int = -1


@dataclass(frozen=True)
class QueueOptions:
    """``extensions.queues``, durations in seconds."""

    batch_size: int = 16
    new_batch_threshold: int = 8
    visibility_timeout: float = 0.0
    max_polling_interval: float = 60.0
    max_dequeue_count: int = 5
    message_encoding: str = "base64"


@dataclass(frozen=True)
class HostConfig:
    """The parts of host.json the development host honours."""

    http: HttpOptions = field(default_factory=HttpOptions)
    queues: QueueOptions = field(default_factory=QueueOptions)

    @classmethod
    def load(cls, script_root: Path) -> HostConfig:
        """Read ``host.json`` from the script root; a missing file means all defaults."""
        path = script_root / "host.json"
        if not path.is_file():
            logger.warning("No host.json in %s; using the host's defaults", script_root)
            return cls()
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HostConfig:
        """Build from parsed host.json, validating like the host so bad files fail here too."""
        extensions = data.get("extensions") or {}
        http = extensions.get("http") or {}
        queues = extensions.get("queues") or {}

        prefix = str(http.get("routePrefix", "api")).strip("/")
        http_options = HttpOptions(
            route_prefix=prefix,
            max_concurrent_requests=int(http.get("maxConcurrentRequests", -1)),
            max_outstanding_requests=int(http.get("maxOutstandingRequests", -1)),
        )

        batch_size = int(queues.get("batchSize", 16))
        if not 1 <= batch_size <= MAX_QUEUE_BATCH_SIZE:
            raise ValueError(f"extensions.queues.batchSize must be 1..{MAX_QUEUE_BATCH_SIZE}, got {batch_size}")
        threshold = int(queues.get("newBatchThreshold", batch_size // 2))
        if threshold < 0:
            raise ValueError(f"extensions.queues.newBatchThreshold must be >= 0, got {threshold}")
        max_dequeue = int(queues.get("maxDequeueCount", 5))
        if max_dequeue < 1:
            raise ValueError(f"extensions.queues.maxDequeueCount must be >= 1, got {max_dequeue}")
        polling = parse_timespan(queues.get("maxPollingInterval", "00:01:00"))
        if polling < 0.1:
            raise ValueError("extensions.queues.maxPollingInterval must be at least 100 ms")
        encoding = str(queues.get("messageEncoding", "base64")).lower()
        if encoding not in ("base64", "none"):
            raise ValueError(f"extensions.queues.messageEncoding must be base64 or none, got {encoding!r}")
        queue_options = QueueOptions(
            batch_size=batch_size,
            new_batch_threshold=threshold,
            visibility_timeout=parse_timespan(queues.get("visibilityTimeout", "00:00:00")),
            max_polling_interval=polling,
            max_dequeue_count=max_dequeue,
            message_encoding=encoding,
        )
        return cls(http=http_options, queues=queue_options)


def load_settings(path: Path, environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Copy ``Values`` of local.settings.json into the environment, as ``func start`` does.

    A variable already in the environment wins, so a shell or CI can override the file.
    Returns the values that were applied. Must run before the app module is imported,
    because apps commonly read settings at import time.
    """
    env = os.environ if environ is None else environ
    if not path.is_file():
        logger.info("No %s; app settings come from the environment only", path)
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("IsEncrypted"):
        raise ValueError(f"{path} is encrypted; decrypt it with 'func settings decrypt'")
    applied: dict[str, str] = {}
    for name, value in (data.get("Values") or {}).items():
        if name in env:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else "" if value is None else str(value)
        env[name] = text
        applied[name] = text
    return applied


def resolve_setting_expressions(value: str, environ: Mapping[str, str] | None = None) -> str:
    """Replace ``%Name%`` with the app setting, as the host does in binding expressions."""
    env = os.environ if environ is None else environ

    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise ValueError(f"app setting {name!r} referenced by {value!r} is not defined")
        return env[name]

    return _SETTING_EXPRESSION.sub(lookup, value)

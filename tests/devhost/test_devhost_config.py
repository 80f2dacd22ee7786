"""Settings, host.json and route templates: pure units, plus the CLI's start and stop."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from devhost.config import HostConfig, load_settings, parse_timespan, resolve_setting_expressions
from devhost.routing import Router
from tests.devhost.sample_host import SampleHost, write_script_root
from tests.support.azurite import Azurite
from tests.support.devhost_process import DevHost


def test_local_settings_fill_the_environment_but_env_wins(tmp_path: Path) -> None:
    path = tmp_path / "local.settings.json"
    values = {"FROM_FILE": "file", "BOTH": "file", "FLAG": True, "COUNT": 3}
    path.write_text(json.dumps({"IsEncrypted": False, "Values": values}), encoding="utf-8")
    env = {"BOTH": "env"}
    applied = load_settings(path, env)
    assert env == {"BOTH": "env", "FROM_FILE": "file", "FLAG": "true", "COUNT": "3"}
    assert applied == {"FROM_FILE": "file", "FLAG": "true", "COUNT": "3"}
    assert load_settings(tmp_path / "missing.json", env) == {}


def test_settings_reach_the_app_process(sample_host: SampleHost) -> None:
    """The file's value arrives (before import: the app read a setting at import), the env's wins."""
    data = httpx.get(f"{sample_host.url}/api/settings", timeout=5).json()
    assert data == {"SAMPLE_FROM_FILE": "file", "SAMPLE_OVERRIDDEN": "env"}


def test_setting_expressions() -> None:
    assert resolve_setting_expressions("%P%-jobs", {"P": "dev"}) == "dev-jobs"
    with pytest.raises(ValueError, match="MISSING"):
        resolve_setting_expressions("%MISSING%", {})


def test_host_json_defaults_and_parsing() -> None:
    default = HostConfig.from_dict({})
    assert default.http.route_prefix == "api"
    assert (default.queues.batch_size, default.queues.new_batch_threshold) == (16, 8)
    assert (default.queues.visibility_timeout, default.queues.max_polling_interval) == (0.0, 60.0)
    assert (default.queues.max_dequeue_count, default.queues.message_encoding) == (5, "base64")

    config = HostConfig.from_dict(
        {"extensions": {"http": {"routePrefix": ""}, "queues": {"batchSize": 8, "maxPollingInterval": "00:00:02.5"}}}
    )
    assert config.http.route_prefix == ""
    assert config.queues.new_batch_threshold == 4  # batchSize / 2
    assert config.queues.max_polling_interval == 2.5
    with pytest.raises(ValueError, match="batchSize"):
        HostConfig.from_dict({"extensions": {"queues": {"batchSize": 33}}})
    assert parse_timespan("1.02:03:04") == 86400 + 7384
    assert parse_timespan(2000) == 2.0  # host.json v1 milliseconds


def test_router_precedence_is_independent_of_registration_order() -> None:
    router: Router[str] = Router("api")
    router.add("{*path}", None, "catch_all")
    router.add("files/{name}.{ext}", ["GET"], "multi_part")
    router.add("items/{id}", ["GET"], "item")
    router.add("items/special", ["GET"], "literal")
    router.add("items/{id:int}", ["GET"], "item_int")
    assert router.match("GET", "/api/items/special") == ("literal", {})
    assert router.match("GET", "/api/items/12") == ("item_int", {"id": "12"})
    assert router.match("GET", "/api/items/x") == ("item", {"id": "x"})
    assert router.match("GET", "/api/files/a.tar.gz") == ("multi_part", {"name": "a.tar", "ext": "gz"})
    assert router.match("PATCH", "/api/items/x") == ("catch_all", {"path": "items/x"})
    assert router.match("GET", "/api/a%2Fb/c") == ("catch_all", {"path": "a/b/c"})
    assert router.match("GET", "/elsewhere") is None
    bare: Router[str] = Router("")
    bare.add("health", None, "health")
    assert bare.match("GET", "/health/") == ("health", {})


def test_cli_lists_functions_and_exits_zero_on_sigterm(azurite: Azurite, tmp_path: Path) -> None:
    root = write_script_root(tmp_path, {"DEVHOST_QUEUE_PREFIX": "cli"})
    host = DevHost(
        "sample_app:app",
        env={"AzureWebJobsStorage": azurite.connection_string, "CLOUDPLANE_LOG_LEVEL": "INFO"},
        cwd=root,
        args=["--no-queues"],
    )
    host.start()
    try:
        assert httpx.get(f"{host.base_url}/api/items/special", timeout=5).json() == {"function": "literal"}
        time.sleep(0.2)
    finally:
        code = host.stop()
    log = host.log_text()
    assert code == 0, log
    assert f"literal: [GET] {host.base_url}/api/items/special" in log
    assert "on_batch: queueTrigger cli-batch (disabled: --no-queues)" in log
    assert "tick: timerTrigger */1 * * * * *" in log
    assert "Received SIGTERM; stopping" in log
    assert "Traceback" not in log

"""The `cloudplane` CLI driven in-process (click's runner) against the local host and Azurite.

Asserts what a user and a script see: output in each format, progress and summaries, files
written, and the exit code of each kind of failure.
"""

from __future__ import annotations

import csv
import json
import stat
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner, Result
from cloudplane_cli.main import cli

from tests.client.conftest import ADMIN_KEY, CLIENT_DIR, new_tenant
from tests.support.azurite import free_port
from tests.support.devhost_process import DevHost

Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Invoke the CLI with its own config folder; fails loudly on an unexpected exit code."""
    runner = CliRunner()
    config = tmp_path / "config" / "cloudplane"

    def invoke(
        *args: str, code: int = 0, key: str | None = None, url: str | None = None, stdin: str | None = None
    ) -> Result:
        env = {"CLOUDPLANE_CONFIG_DIR": str(config), "CLOUDPLANE_API_KEY": key, "CLOUDPLANE_URL": url}
        env |= {"CLOUDPLANE_PROFILE": None, "CLOUDPLANE_OUTPUT": None}
        result = runner.invoke(cli, list(args), env=env, input=stdin)
        assert result.exit_code == code, (args, result.exit_code, result.stdout, result.stderr, result.exception)
        return result

    return invoke


def slug() -> str:
    return f"cli-{uuid.uuid4().hex[:8]}"


def login(run: Run, host: DevHost, key: str, profile: str = "default") -> None:
    run("login", "--profile", profile, "--base-url", host.base_url, key=key)


def test_login_keeps_the_key_readable_by_its_owner_only(run: Run, host: DevHost, tmp_path: Path) -> None:
    result = run("login", "--base-url", host.base_url + "/", stdin=f"{ADMIN_KEY}\n")
    assert "Signed in" in result.stderr and "as the admin" in result.stderr
    assert ADMIN_KEY not in result.stdout + result.stderr
    folder = tmp_path / "config" / "cloudplane"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "config.json").stat().st_mode) == 0o600
    stored = json.loads((folder / "config.json").read_text())
    assert stored == {"default": "default", "profiles": {"default": {"base_url": host.base_url, "api_key": ADMIN_KEY}}}
    assert [p.name for p in folder.iterdir()] == ["config.json"]  # no temporary file left behind

    listed = run("profiles").stdout
    assert "* default" in listed and host.base_url in listed and ADMIN_KEY not in listed
    assert json.loads(run("me", "--output", "json").stdout)["admin"] is True

    result = run("login", "--profile", "bad", "--base-url", host.base_url, key="cpk_not_a_key", code=3)
    assert "INVALID_API_KEY" in result.stderr or "UNAUTHORIZED" in result.stderr
    assert "bad" not in json.loads((folder / "config.json").read_text())["profiles"]  # a refused key is not stored
    run("logout")
    assert run("me", code=2).stderr.count("cloudplane login") == 1


def test_admin_commands_and_the_exit_code_of_each_failure(run: Run, host: DevHost) -> None:
    login(run, host, ADMIN_KEY)
    name = slug()
    created = json.loads(run("tenants", "create", "--name", name, "--slug", name, "--output", "json").stdout)
    tenant_id, secret = created["tenant"]["id"], created["api_key"]["key"]
    assert secret.startswith("cpk_")

    taken = run("tenants", "create", "--name", name, "--slug", name, code=5)
    assert "SLUG_TAKEN (409)" in taken.stderr and "request req_" in taken.stderr
    missing = run("tenants", "get", "0" * 32, code=4)
    assert "TENANT_NOT_FOUND (404)" in missing.stderr
    refused = run("tenants", "create", "--name", "x", "--slug", "NOT A SLUG", code=2)
    assert "VALIDATION_FAILED (422)" in refused.stderr and "body.slug" in refused.stderr
    assert run("tenants", "get", code=2).stderr.startswith("Usage:")  # click's own usage error

    key = yaml.safe_load(run("keys", "create", tenant_id, "--name", "ci", "--scope", "read", "--output", "yaml").stdout)
    assert key["scopes"] == ["read"] and key["key"].startswith("cpk_")
    table = run("keys", "list", tenant_id).stdout
    assert "ci" in table and key["key"] not in table and "PREFIX" in table
    run("keys", "revoke", tenant_id, key["id"])
    revoked = json.loads(run("keys", "list", tenant_id, "--output", "json").stdout)["items"]
    assert any(k["id"] == key["id"] and k["revoked_at"] for k in revoked)

    listed = run("--output", "json", "tenants", "list", "--limit", "100").stdout
    assert tenant_id in {t["id"] for t in json.loads(listed)["items"]}

    mapping = {"entra_tenant_id": str(uuid.uuid4()), "tenant_id": tenant_id, "scopes": ["read"]}
    made = json.loads(run("mappings", "create", "-f", "-", "--output", "json", stdin=json.dumps(mapping)).stdout)
    assert made["tenant_id"] == tenant_id and mapping["entra_tenant_id"] in run("mappings", "list").stdout
    run("mappings", "delete", made["id"], stdin="y\n")  # asks first; "y" confirms
    assert run("mappings", "get", made["id"], code=4).stderr.startswith("Error: ")

    # A tenant's key may not use the admin's commands: auth, exit 3.
    forbidden = run("tenants", "list", key=secret, code=3)
    assert "ADMIN_KEY_REQUIRED (403)" in forbidden.stderr


def test_submit_wait_results_and_logs(run: Run, host: DevHost, tmp_path: Path) -> None:
    tenant = new_tenant(host.base_url, slug())
    login(run, host, tenant["api_key"]["key"])
    spec = tmp_path / "job.yaml"
    spec.write_text("type: diagnostics.echo\nname: from the cli\nconfiguration: {items: 120, batch_size: 25}\n")

    done = run("jobs", "submit", str(spec), "--wait", "--wait-timeout", "120")
    assert "Submitted job_" in done.stderr and "processed" in done.stderr and "failed" in done.stderr
    assert "completed" in done.stdout and "120" in done.stdout and "DURATION S" not in done.stdout
    job_id = done.stderr.split("Submitted ", 1)[1].split(".", 1)[0]

    out = tmp_path / "results.csv"
    written = run("jobs", "results", job_id, "--format", "csv", "-o", str(out))
    assert f"to {out}" in written.stderr
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 120
    as_json = json.loads(run("jobs", "results", job_id).stdout)
    assert len(as_json["rows"]) == 120

    logs = run("jobs", "logs", job_id).stdout
    assert "job_created" in logs and "job_completed" in logs
    followed = run("jobs", "logs", job_id, "--follow", "--output", "json").stdout.splitlines()
    assert json.loads(followed[-1])["message"]["message_type"] == "job_completed"
    assert [json.loads(line)["sequence"] for line in followed] == sorted(
        {json.loads(line)["sequence"] for line in followed}
    )

    shown = json.loads(run("jobs", "get", job_id, "--output", "json").stdout)
    assert shown["status"] == "completed" and shown["progress"]["processed"] == 120
    listed = run("jobs", "list", "--status", "completed").stdout
    assert job_id in listed and "PROGRESS PERCENT" in listed
    assert run("jobs", "cancel", job_id, code=5).stderr.startswith("Error: JOB_FINISHED (409)")

    failing = tmp_path / "failing.json"
    failing.write_text(
        json.dumps(
            {
                "type": "diagnostics.echo",
                "name": "half fails",
                "configuration": {"items": 20, "batch_size": 10, "fail_items": [3, 4]},
            }
        )
    )
    ended = run("jobs", "submit", str(failing), "--wait", "--output", "json", code=7)
    job = json.loads(ended.stdout)
    assert job["status"] == "completed_with_errors" and job["progress"]["failed"] == 2


def test_dataset_upload_with_a_progress_bar(run: Run, host: DevHost, tmp_path: Path) -> None:
    tenant = new_tenant(host.base_url, slug())
    login(run, host, tenant["api_key"]["key"])
    template = {"name": "trainer", "image": "pytorch/pytorch:2.4", "resources": {"gpus": 2}}
    made = json.loads(run("templates", "create", "-f", "-", "--output", "json", stdin=json.dumps(template)).stdout)
    assert "trainer" in run("templates", "list").stdout
    run("templates", "delete", made["id"], stdin="n\n", code=1)  # declined: nothing deleted, click's Abort
    assert json.loads(run("templates", "get", made["id"], "--output", "json").stdout)["image"] == template["image"]

    data = tmp_path / "faq.csv"
    data.write_text("question,response,expected\n" + "".join(f"q{i},a{i},a{i}\n" for i in range(500)))

    uploaded = run("datasets", "upload", str(data), "--name", "faq", "--output", "json")
    dataset = json.loads(uploaded.stdout)
    assert dataset["row_count"] == 500 and dataset["name"] == "faq" and dataset["filename"] == "faq.csv"
    assert "kB" in uploaded.stderr  # the bar's transferred size
    assert "faq.csv" in run("datasets", "list").stdout

    wrong = tmp_path / "notes.txt"
    wrong.write_text("x")
    assert "must end in .csv" in run("datasets", "upload", str(wrong), code=2).stderr
    run("datasets", "delete", dataset["id"], "--yes")
    run("datasets", "get", dataset["id"], code=4)


def test_empty_listings_print_a_table_and_an_unreachable_api_is_exit_6(run: Run, host: DevHost) -> None:
    tenant = new_tenant(host.base_url, slug())
    key = tenant["api_key"]["key"]
    servers = run("servers", "list", key=key, url=host.base_url).stdout
    assert "ID" in servers and "API URL" in servers
    assert json.loads(run("pods", "list", "--output", "json", key=key, url=host.base_url).stdout)["items"] == []
    down = f"http://127.0.0.1:{free_port()}"
    failed = run("me", key=key, url=down, code=6)
    assert "cannot reach the API" in failed.stderr


def test_servers_and_pods_across_two_emulated_clusters(run: Run, host: DevHost, tmp_path: Path) -> None:
    from tests.support.kube import KubeEmulator, gpu_node, pod

    tenant = new_tenant(host.base_url, slug())
    login(run, host, tenant["api_key"]["key"])
    clusters = [KubeEmulator(nodes=[gpu_node(gpus="4")], pods=[pod("busy", gpus="1")]).start() for _ in range(2)]
    try:
        servers = []
        for number, cluster in enumerate(clusters):
            token = f"token-{uuid.uuid4().hex}"
            body = tmp_path / f"server{number}.json"
            body.write_text(json.dumps({"name": f"gpu-{number}", "api_url": cluster.url, "token": token}))
            created = run("servers", "create", "-f", str(body), "--output", "json").stdout
            assert token not in created
            servers.append(json.loads(created))
            assert "True" in run("servers", "test", servers[-1]["id"]).stdout
        usage = json.loads(run("servers", "usage", servers[0]["id"], "--output", "json").stdout)
        assert usage["server_id"] == servers[0]["id"] and usage["pod_count"] == 1
        table = run("servers", "list").stdout
        assert "gpu-0" in table and "gpu-1" in table

        for number, server in enumerate(servers):
            spec = tmp_path / f"pod{number}.yaml"
            spec.write_text(
                f"server_id: {server['id']}\nname: train-{number}\nimage: busybox\nresources: {{gpus: 1}}\n"
            )
            run("pods", "create", "-f", str(spec))
        listed = run("pods", "list")
        assert "train-0" in listed.stdout and "train-1" in listed.stdout and "Warning" not in listed.stderr

        clusters[1].stop()  # a partial listing: the pods it has, and which server is missing, on stderr
        partial = run("pods", "list")
        assert "train-0" in partial.stdout and "train-1" not in partial.stdout
        assert "Warning" in partial.stderr and servers[1]["id"] in partial.stderr
        failed = json.loads(run("servers", "test", servers[1]["id"], "--output", "json", code=1).stdout)
        assert failed["ok"] is False
    finally:
        for cluster in clusters:
            cluster.stop()


def test_connections_and_a_migration_between_two_fakes(run: Run, host: DevHost, tmp_path: Path) -> None:
    from tests.support import crm_data
    from tests.support.crm_fakes import FakeAffinity, FakeAttio

    affinity, attio = FakeAffinity("aff-cli-secret", limit_per_window=None), FakeAttio("attio-cli-secret")
    orgs = crm_data.organizations(3)
    affinity.load(crm_data.persons(30, orgs), orgs)
    affinity.start()
    attio.start()
    try:
        tenant = new_tenant(host.base_url, slug())
        login(run, host, tenant["api_key"]["key"])
        ids = {}
        for system, fake, secret in (("affinity", affinity, "aff-cli-secret"), ("attio", attio, "attio-cli-secret")):
            body = {"system": system, "name": system, "credentials": {"api_key": secret}, "base_url": fake.base_url}
            created = run("connections", "create", "-f", "-", "--output", "json", stdin=json.dumps(body)).stdout
            assert secret not in created
            ids[system] = json.loads(created)["id"]
            assert json.loads(run("connections", "test", ids[system], "--output", "json").stdout)["ok"] is True
        assert "affinity" in run("connections", "list").stdout

        moved = run("migrations", "start", "--source", ids["affinity"], "--target", ids["attio"], "--wait")
        assert "completed" in moved.stdout and "Submitted job_" in moved.stderr
        assert len(attio.records["people"]) == 30 and len(attio.records["companies"]) == 3
        assert "completed" in run("migrations", "list").stdout
    finally:
        affinity.stop()
        attio.stop()


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        assert sub is not None
        found += _commands(sub, (*prefix, name)) if isinstance(sub, click.Group) else [(*prefix, name)]
    return found


def test_help_on_every_command_and_shell_completion(run: Run) -> None:
    paths = _commands(cli)
    assert ("jobs", "submit") in paths and ("datasets", "upload") in paths and ("keys", "revoke") in paths
    for path in paths:
        shown = run(*path, "--help").stdout
        assert shown.startswith("Usage: cloudplane"), path
    script = run("completion", "bash").stdout
    assert "_CLOUDPLANE_COMPLETE=bash_complete" in script
    completed = subprocess.run(
        [sys.executable, "-m", "cloudplane_cli"],
        env={
            "_CLOUDPLANE_COMPLETE": "bash_complete",
            "COMP_WORDS": "cloudplane jo",
            "COMP_CWORD": "1",
            "PYTHONPATH": str(CLIENT_DIR),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert "plain,jobs" in completed.stdout


def test_help_imports_neither_httpx_nor_rich_nor_the_generated_client() -> None:
    """`cloudplane --help` stays fast: the heavy modules load only in the commands that use them."""
    code = (
        "import sys\n"
        "from cloudplane_cli.main import cli\n"
        "try:\n    cli.main(['--help'], prog_name='cloudplane')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('httpx', 'rich', 'yaml', 'cloudplane_api', 'cloudplane_client') if m in sys.modules))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(CLIENT_DIR)}, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip().splitlines()[-1] == "[]"

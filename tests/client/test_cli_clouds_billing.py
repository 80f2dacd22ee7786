"""``cloudplane billing`` and ``cloudplane clouds`` driven in-process against the local host.

Billing runs end to end on Azurite (every tenant has an account of its own). The clouds commands
run against the session's real Keystone and nova-api (tests/support/openstack.py) on loopback,
registered as a tenant's OpenStack server exactly as the API's own tests do.
"""

from __future__ import annotations

import json
import stat
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.client.conftest import new_tenant
from tests.client.test_cli import Run, login, run, slug
from tests.support.devhost_process import DevHost
from tests.support.openstack import Keystone, Nova

__all__ = ["run"]  # the CLI runner fixture, shared with test_cli.py

NEW_COMMANDS = [
    ["billing"],
    ["billing", "accounts", "list"],
    ["billing", "accounts", "get"],
    ["billing", "invoices", "draft"],
    ["billing", "invoices", "list"],
    ["billing", "invoices", "get"],
    ["billing", "invoices", "download"],
    ["billing", "usage"],
    ["billing", "credits", "add"],
    ["billing", "credits", "list"],
    ["billing", "orders", "create"],
    ["billing", "orders", "list"],
    ["billing", "orders", "tag"],
    ["billing", "orders", "delete"],
    ["clouds"],
    ["clouds", "import"],
    ["clouds", "users", "list"],
    ["clouds", "users", "get"],
    ["clouds", "users", "create"],
    ["clouds", "users", "update"],
    ["clouds", "users", "delete"],
    ["clouds", "teams", "list"],
    ["clouds", "teams", "create"],
    ["clouds", "teams", "delete"],
    ["clouds", "teams", "quotas"],
    ["clouds", "roles", "list"],
    ["clouds", "roles", "add"],
    ["clouds", "roles", "replace"],
    ["clouds", "roles", "remove"],
    ["clouds", "key-pairs", "list"],
    ["clouds", "key-pairs", "create"],
    ["clouds", "key-pairs", "import"],
    ["clouds", "key-pairs", "delete"],
    ["clouds", "limits"],
    ["clouds", "statistics"],
    ["clouds", "power"],
]


@pytest.mark.parametrize("words", NEW_COMMANDS, ids=" ".join)
def test_help_on_every_new_command(run: Run, words: list[str]) -> None:
    shown = run(*words, "--help").stdout
    assert shown.startswith("Usage: cloudplane " + " ".join(words)) and "--help" in shown


def test_billing_end_to_end(run: Run, host: DevHost, tmp_path: Path) -> None:
    tenant = new_tenant(host.base_url, slug())
    login(run, host, tenant["api_key"]["key"])

    accounts = json.loads(run("billing", "accounts", "list", "--output", "json").stdout)["items"]
    (account,) = [a for a in accounts if a["owner_kind"] == "tenant"]
    account_id = account["id"]
    assert account["tenant_id"] == tenant["tenant"]["id"]
    table = run("billing", "accounts", "list").stdout
    assert account_id in table and "OPEN PERIOD" in table
    assert yaml.safe_load(run("billing", "accounts", "get", account_id, "--output", "yaml").stdout)["id"] == account_id

    # Credits: the same reference twice adds once (a retried top-up is safe).
    first = json.loads(
        run("billing", "credits", "add", account_id, "1500", "--reference", "r1", "--output", "json").stdout
    )
    again = json.loads(
        run("billing", "credits", "add", account_id, "1500", "--reference", "r1", "--output", "json").stdout
    )
    assert first["balance"] == again["balance"] == 1500
    assert json.loads(run("billing", "credits", "list", account_id, "--output", "json").stdout)["balance"] == 1500
    assert run("billing", "credits", "add", account_id, "0", code=2).stderr.startswith("Usage:")

    order = json.loads(
        run(
            "billing", "orders", "create", account_id, "--resource-id", "rack-7", "--plan", "basic", "--tag", "gpu",
            "--output", "json",
        ).stdout
    )  # fmt: skip
    tagged = json.loads(run("billing", "orders", "tag", account_id, order["id"], "team-x", "--output", "json").stdout)
    assert tagged["tags"] == ["gpu", "team-x"]
    assert order["id"] in run("billing", "orders", "list", account_id).stdout
    refused = run("billing", "orders", "create", account_id, "--resource-id", "r", "--plan", "nope", code=2)
    assert "(422)" in refused.stderr
    ended = json.loads(run("billing", "orders", "delete", account_id, order["id"], "-y", "--output", "json").stdout)
    assert ended["ended_at"] is not None

    draft = json.loads(run("billing", "invoices", "draft", account_id, "--output", "json").stdout)
    assert draft["status"] == "draft" and draft["account_id"] == account_id
    assert draft["credits_applied"] == min(1500, draft["subtotal"])
    shown = run("billing", "invoices", "draft", account_id).stdout
    assert "TOTAL DUE" not in shown and "total_due" in shown  # key/value table of the totals

    pdf = tmp_path / "draft.pdf"
    written = run("billing", "invoices", "download", account_id, "draft", "--pdf", "-o", str(pdf))
    assert f"to {pdf}" in written.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and not (tmp_path / "draft.pdf.part").exists()
    as_json = json.loads(run("billing", "invoices", "download", account_id, "draft").stdout)
    assert as_json["status"] == "draft"

    assert json.loads(run("billing", "invoices", "list", account_id, "--output", "json").stdout)["items"] == []
    assert "More:" not in run("billing", "invoices", "list", account_id).stderr  # no closed invoice yet
    usage = run(
        "billing", "usage", account_id, "--start", "2026-01-01T00:00:00+00:00", "--end", "2026-02-01T00:00:00+00:00",
        "--output", "json",
    )  # fmt: skip
    assert json.loads(usage.stdout)["items"] == []
    assert "--start/--end" in run("billing", "usage", account_id, "--start", "soon", "--end", "later", code=2).stderr

    missing = run("billing", "accounts", "get", "acct_" + "0" * 26, code=4)
    assert "(404)" in missing.stderr
    other = new_tenant(host.base_url, slug())
    hidden = run("billing", "credits", "list", account_id, key=other["api_key"]["key"], url=host.base_url, code=4)
    assert "(404)" in hidden.stderr


@pytest.fixture
def cloud(host: DevHost, keystone: Keystone, nova: Nova) -> dict[str, Any]:
    """A tenant with the session Keystone's admin credential registered as an OpenStack server."""
    tenant = new_tenant(host.base_url, slug())
    key = tenant["api_key"]["key"]
    reply = httpx.post(
        f"{host.base_url}/api/v1/servers",
        json={"name": "os", "kind": "openstack", "cloud": keystone.admin_cloud()},
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )
    assert reply.status_code == 201, reply.text
    return {"id": reply.json()["id"], "key": key}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_clouds_users_teams_roles(run: Run, host: DevHost, cloud: dict[str, Any]) -> None:
    login(run, host, cloud["key"])
    cid = cloud["id"]

    name = unique("ada")
    created = run("clouds", "users", "create", cid, "--name", name, "--email", "ada@example.org")
    assert created.stdout.count("Password (shown this once") == 1
    password = created.stdout.rsplit(": ", 1)[1].strip()
    assert len(password) >= 20 and password not in created.stderr
    user_id = next(line.split()[-1] for line in created.stdout.splitlines() if line.strip().startswith("id "))
    listed = run("clouds", "users", "list", cid).stdout
    assert name in listed and password not in listed
    got = json.loads(run("clouds", "users", "get", cid, user_id, "--output", "json").stdout)
    assert got["email"] == "ada@example.org" and "password" not in got

    changed = run("clouds", "users", "update", cid, user_id, "--disable", "--output", "json")
    assert json.loads(changed.stdout)["enabled"] is False
    run("clouds", "users", "update", cid, user_id, "--password-stdin", stdin="a-new-password-42\n")
    assert run("clouds", "users", "update", cid, user_id, code=2).stderr.startswith("Usage:")

    team = json.loads(run("clouds", "teams", "create", cid, "--name", unique("t"), "--output", "json").stdout)
    assert team["id"] in run("clouds", "teams", "list", cid).stdout
    quotas = json.loads(run("clouds", "teams", "quotas", cid, team["id"], "--output", "json").stdout)
    assert quotas["compute"]["instances"] == 10

    added = json.loads(
        run("clouds", "roles", "add", cid, team["id"], "--user", user_id, "--role", "member", "--output", "json").stdout
    )
    assert added["role"] == "member" and added["user_name"] == name
    run("clouds", "roles", "replace", cid, team["id"], "--user", user_id, "--role", "member", "--new-role", "reader")
    roles = json.loads(run("clouds", "roles", "list", cid, team["id"], "--output", "json").stdout)["items"]
    assert [(r["user_id"], r["role"]) for r in roles] == [(user_id, "reader")]
    unknown = run("clouds", "roles", "add", cid, team["id"], "--user", user_id, "--role", "no-such-role", code=2)
    assert "CLOUD_ROLE_UNKNOWN" in unknown.stderr
    run("clouds", "roles", "remove", cid, team["id"], user_id, "reader")
    assert "ROLE_ASSIGNMENT" in run("clouds", "roles", "remove", cid, team["id"], user_id, "reader", code=4).stderr

    run("clouds", "teams", "delete", cid, team["id"], "-y")
    run("clouds", "users", "delete", cid, user_id, stdin="y\n")
    assert run("clouds", "users", "get", cid, user_id, code=4).stderr.startswith("Error: ")


def test_clouds_key_pairs_limits_statistics_power(
    run: Run, host: DevHost, cloud: dict[str, Any], tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    login(run, host, cloud["key"])
    cid = cloud["id"]

    private = tmp_path / "id_gen"
    generated = unique("gen")
    made = run("clouds", "key-pairs", "create", cid, generated, "-o", str(private))
    assert f"written to {private}" in made.stderr and "PRIVATE KEY" not in made.stdout + made.stderr
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and "PRIVATE KEY" in private.read_text()
    again = run("clouds", "key-pairs", "create", cid, unique("gen"), "-o", str(private), code=2)
    assert "not overwriting" in again.stderr  # an existing key file is never replaced
    printed = run("clouds", "key-pairs", "create", cid, unique("gen"))
    assert printed.stdout.count("PRIVATE KEY-----") == 2 and "shown this once" in printed.stdout

    public = tmp_path / "id.pub"
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    public.write_text(key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode())
    imported_name = unique("imp")
    imported = json.loads(
        run("clouds", "key-pairs", "import", cid, imported_name, str(public), "--output", "json").stdout
    )
    assert imported["public_key"].strip() == public.read_text().strip() and imported["private_key"] is None
    names = {k["name"] for k in json.loads(run("clouds", "key-pairs", "list", cid, "--output", "json").stdout)["items"]}
    assert {generated, imported_name} <= names
    assert "(409)" in run("clouds", "key-pairs", "import", cid, imported_name, str(public), code=5).stderr
    run("clouds", "key-pairs", "delete", cid, imported_name, "-y")
    assert "(404)" in run("clouds", "key-pairs", "delete", cid, imported_name, "-y", code=4).stderr

    limits = json.loads(run("clouds", "limits", cid, "--output", "json").stdout)
    assert limits["compute"]["instances"] == {"limit": 10, "used": 0}
    stats = json.loads(run("clouds", "statistics", cid, "--output", "json").stdout)
    assert stats["servers"] == 0 and stats["users"] >= 2

    assert "exactly one" in run("clouds", "power", cid, "off", code=2).stderr
    assert "a rack takes" in run("clouds", "power", cid, "on", "--rack", "s1", code=2).stderr
    gone = run("clouds", "power", cid, "off", "--device", "0" * 32, "--wait", code=4)
    assert "(404)" in gone.stderr


def test_clouds_import_of_a_clouds_yaml(run: Run, host: DevHost, keystone: Keystone, tmp_path: Path) -> None:
    tenant = new_tenant(host.base_url, slug())
    login(run, host, tenant["api_key"]["key"])
    clouds_yaml = tmp_path / "clouds.yaml"
    clouds_yaml.write_text(yaml.safe_dump({"clouds": {"lab": keystone.admin_cloud(), "other": keystone.admin_cloud()}}))
    bad = run("clouds", "import", str(clouds_yaml), "--label", "nolabel", code=2)
    assert "KEY=VALUE" in bad.stderr
    result = run("clouds", "import", str(clouds_yaml), "--cloud", "lab", "--label", "site=a", "--output", "json")
    (server,) = json.loads(result.stdout)["servers"]
    assert server["kind"] == "openstack" and server["labels"] == {"site": "a"}
    assert keystone.admin_password not in result.stdout + result.stderr

"""``cloudplane clouds``: OpenStack clouds registered as servers, and what lives in them.

Import a ``clouds.yaml``; then a cloud's users, teams (Keystone projects) and their roles and
quotas, key pairs, limits and statistics, and power actions on its devices and racks. Secrets
the API generates (a user's password, a key pair's private key) are shown once and nowhere else:
this module never logs them, and a private key goes to a file only the user can read.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from cloudplane_cli.resources import operation
from cloudplane_cli.state import RawBody, State, emit, emit_page, output_option, pass_state, plain

USER_COLUMNS = ("id", "name", "display_name", "email", "enabled", "default_project_id")
TEAM_COLUMNS = ("id", "name", "description", "enabled", "billing_account_id")
ROLE_COLUMNS = ("user_id", "user_name", "role", "role_id")
KEY_PAIR_COLUMNS = ("name", "key_type", "fingerprint")
SERVER_COLUMNS = ("id", "name", "kind", "endpoint", "status")
DEVICE_ACTIONS = ("on", "off", "suspend", "resume", "destroy")
RACK_ACTIONS = ("suspend", "resume", "destroy")


def _op(name: str) -> Any:
    return operation("clouds", name)


def _confirm(yes: bool, question: str) -> None:
    if not yes:
        click.confirm(question, abort=True, err=True)


def _yes(function: Any) -> Any:
    return click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")(function)


def _password_from_stdin() -> str:
    """A password piped in (never an argument: arguments end up in shell history and ``ps``)."""
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.UsageError("--password-stdin: no password on stdin.")
    return password


@click.group("clouds")
def command() -> None:
    """OpenStack clouds: import clouds.yaml; users, teams, roles, key pairs, limits, power."""


@command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--cloud", "clouds", multiple=True, help="Only this cloud of the file (repeat; default: all).")
@click.option("--label", "labels", multiple=True, help="KEY=VALUE label on every server made (repeat).")
@output_option
@pass_state
def import_(state: State, file: str, clouds: tuple[str, ...], labels: tuple[str, ...]) -> None:
    """Register the clouds of a clouds.yaml file as servers (credentials sealed by the API)."""
    parsed: dict[str, str] = {}
    for label in labels:
        key, sep, value = label.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{label!r} is not KEY=VALUE", param_hint="--label")
        parsed[key] = value
    with open(file, encoding="utf-8") as handle:
        body: dict[str, Any] = {"clouds_yaml": handle.read(), "labels": parsed}
    if clouds:
        body["clouds"] = list(clouds)
    imported = plain(state.call(operation("servers", "import_clouds"), body=RawBody(body)))
    if state.output == "table":
        emit(state, imported.get("servers", []), SERVER_COLUMNS)
    else:
        emit(state, imported)


# ---------------------------------------------------------------- users


@command.group()
def users() -> None:
    """A cloud's users (Keystone)."""


@users.command("list")
@click.argument("cloud_id")
@output_option
@pass_state
def users_list(state: State, cloud_id: str) -> None:
    """List the cloud's users."""
    emit_page(state, state.call(_op("list_cloud_users"), cloud_id=cloud_id), USER_COLUMNS)


@users.command("get")
@click.argument("cloud_id")
@click.argument("user_id")
@output_option
@pass_state
def users_get(state: State, cloud_id: str, user_id: str) -> None:
    """Show one user."""
    emit(state, state.call(_op("get_cloud_user"), cloud_id=cloud_id, user_id=user_id))


@users.command("create")
@click.argument("cloud_id")
@click.option("--name", required=True)
@click.option("--display-name")
@click.option("--email")
@click.option("--project", "default_project_id", help="The user's default project (team) id.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin (default: the API makes one).")
@output_option
@pass_state
def users_create(
    state: State,
    cloud_id: str,
    name: str,
    display_name: str | None,
    email: str | None,
    default_project_id: str | None,
    password_stdin: bool,
) -> None:
    """Create a user; a generated password is printed this once, never again."""
    body: dict[str, Any] = {"name": name}
    for key, value in (("display_name", display_name), ("email", email), ("default_project_id", default_project_id)):
        if value is not None:
            body[key] = value
    if password_stdin:
        body["password"] = _password_from_stdin()
    created = plain(state.call(_op("create_cloud_user"), cloud_id=cloud_id, body=RawBody(body)))
    password = created.pop("password", None) if state.output == "table" else None
    emit(state, created)
    if password:
        click.echo(f"Password (shown this once; keep it now): {password}")


@users.command("update")
@click.argument("cloud_id")
@click.argument("user_id")
@click.option("--display-name")
@click.option("--email")
@click.option("--enable/--disable", "enabled", default=None, help="Allow or refuse the user's sign-in.")
@click.option("--password-stdin", is_flag=True, help="Set the password read from stdin.")
@output_option
@pass_state
def users_update(
    state: State,
    cloud_id: str,
    user_id: str,
    display_name: str | None,
    email: str | None,
    enabled: bool | None,
    password_stdin: bool,
) -> None:
    """Change a user's details, sign-in or password (only the options given)."""
    body: dict[str, Any] = {
        key: value
        for key, value in (("display_name", display_name), ("email", email), ("enabled", enabled))
        if value is not None
    }
    if password_stdin:
        body["password"] = _password_from_stdin()
    if not body:
        raise click.UsageError("Nothing to change: give at least one option.")
    emit(state, state.call(_op("patch_cloud_user"), cloud_id=cloud_id, user_id=user_id, body=RawBody(body)))


@users.command("delete")
@click.argument("cloud_id")
@click.argument("user_id")
@_yes
@pass_state
def users_delete(state: State, cloud_id: str, user_id: str, yes: bool) -> None:
    """Delete a user."""
    _confirm(yes, f"Delete user {user_id}?")
    state.call(_op("delete_cloud_user"), cloud_id=cloud_id, user_id=user_id)
    click.echo(f"Deleted user {user_id}.", err=True)


# ---------------------------------------------------------------- teams and roles


@command.group()
def teams() -> None:
    """A cloud's teams (Keystone projects) and their quotas."""


@teams.command("list")
@click.argument("cloud_id")
@output_option
@pass_state
def teams_list(state: State, cloud_id: str) -> None:
    """List the cloud's teams."""
    emit_page(state, state.call(_op("list_teams"), cloud_id=cloud_id), TEAM_COLUMNS)


@teams.command("create")
@click.argument("cloud_id")
@click.option("--name", required=True)
@click.option("--description")
@click.option("--domain-id", help="Default: the credential's project domain.")
@output_option
@pass_state
def teams_create(state: State, cloud_id: str, name: str, description: str | None, domain_id: str | None) -> None:
    """Create a team."""
    body = {"name": name} | {k: v for k, v in (("description", description), ("domain_id", domain_id)) if v}
    emit(state, state.call(_op("create_team"), cloud_id=cloud_id, body=RawBody(body)))


@teams.command("delete")
@click.argument("cloud_id")
@click.argument("team_id")
@_yes
@output_option
@pass_state
def teams_delete(state: State, cloud_id: str, team_id: str, yes: bool) -> None:
    """Delete a team."""
    _confirm(yes, f"Delete team {team_id}?")
    result = state.call(_op("delete_team"), cloud_id=cloud_id, team_id=team_id)
    if result is not None:
        emit(state, result)
    click.echo(f"Deleted team {team_id}.", err=True)


@teams.command("quotas")
@click.argument("cloud_id")
@click.argument("team_id")
@output_option
@pass_state
def teams_quotas(state: State, cloud_id: str, team_id: str) -> None:
    """A team's compute, volume and network quotas."""
    emit(state, state.call(_op("get_team_quotas"), cloud_id=cloud_id, team_id=team_id))


@command.group()
def roles() -> None:
    """Who holds which role in a team."""


@roles.command("list")
@click.argument("cloud_id")
@click.argument("team_id")
@output_option
@pass_state
def roles_list(state: State, cloud_id: str, team_id: str) -> None:
    """List a team's role assignments."""
    emit_page(state, state.call(_op("list_team_roles"), cloud_id=cloud_id, team_id=team_id), ROLE_COLUMNS)


@roles.command("add")
@click.argument("cloud_id")
@click.argument("team_id")
@click.option("--user", "user_id", required=True, help="The user's id.")
@click.option("--role", required=True, help="A role name (member, admin, reader...) or id.")
@output_option
@pass_state
def roles_add(state: State, cloud_id: str, team_id: str, user_id: str, role: str) -> None:
    """Give a user a role in a team."""
    body = RawBody({"user_id": user_id, "role": role})
    emit(state, state.call(_op("add_team_role"), cloud_id=cloud_id, team_id=team_id, body=body))


@roles.command("replace")
@click.argument("cloud_id")
@click.argument("team_id")
@click.option("--user", "user_id", required=True, help="The user's id.")
@click.option("--role", required=True, help="The role the user has now.")
@click.option("--new-role", required=True, help="The role to give instead.")
@output_option
@pass_state
def roles_replace(state: State, cloud_id: str, team_id: str, user_id: str, role: str, new_role: str) -> None:
    """Swap one of a user's roles in a team for another."""
    body = RawBody({"user_id": user_id, "role": role, "new_role": new_role})
    emit(state, state.call(_op("replace_team_role"), cloud_id=cloud_id, team_id=team_id, body=body))


@roles.command("remove")
@click.argument("cloud_id")
@click.argument("team_id")
@click.argument("user_id")
@click.argument("role")
@pass_state
def roles_remove(state: State, cloud_id: str, team_id: str, user_id: str, role: str) -> None:
    """Take a role in a team from a user."""
    state.call(_op("remove_team_role"), cloud_id=cloud_id, team_id=team_id, user_id=user_id, role=role)
    click.echo(f"Removed role {role} of user {user_id} in team {team_id}.", err=True)


# ---------------------------------------------------------------- key pairs


@command.group("key-pairs")
def key_pairs() -> None:
    """Compute key pairs (nova)."""


@key_pairs.command("list")
@click.argument("cloud_id")
@output_option
@pass_state
def key_pairs_list(state: State, cloud_id: str) -> None:
    """List the cloud's key pairs."""
    emit_page(state, state.call(_op("list_key_pairs"), cloud_id=cloud_id), KEY_PAIR_COLUMNS)


def write_private(path: str, text: str) -> None:
    """Write a secret to a new file readable by its owner only (0600 from creation, not chmod after)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


@key_pairs.command("create")
@click.argument("cloud_id")
@click.argument("name")
@click.option(
    "-o",
    "--private-key-file",
    "key_file",
    type=click.Path(dir_okay=False),
    help="Write the generated private key to this new file (mode 0600); default: print it once.",
)
@output_option
@pass_state
def key_pairs_create(state: State, cloud_id: str, name: str, key_file: str | None) -> None:
    """Create a key pair; the API generates it and the private key is shown this once."""
    if key_file and os.path.exists(key_file):
        raise click.BadParameter(f"{key_file} exists; not overwriting a key", param_hint="--private-key-file")
    created = plain(state.call(_op("create_key_pair"), cloud_id=cloud_id, body=RawBody({"name": name})))
    private = created.pop("private_key", None)
    if key_file and private:
        write_private(key_file, private)
        click.echo(f"Private key written to {key_file} (mode 0600).", err=True)
    elif private and state.output != "table":
        created["private_key"] = private
    emit(state, created)
    if private and not key_file and state.output == "table":
        click.echo(f"Private key (shown this once; keep it now):\n{private.rstrip()}")


@key_pairs.command("import")
@click.argument("cloud_id")
@click.argument("name")
@click.argument("public_key_file", type=click.File("r"))
@click.option("--type", "key_type", type=click.Choice(["ssh", "x509"]), default="ssh", show_default=True)
@output_option
@pass_state
def key_pairs_import(state: State, cloud_id: str, name: str, public_key_file: Any, key_type: str) -> None:
    """Register an existing public key (an OpenSSH key, or a PEM certificate for x509)."""
    body = RawBody({"name": name, "key_type": key_type, "public_key": public_key_file.read().strip()})
    emit(state, state.call(_op("create_key_pair"), cloud_id=cloud_id, body=body))


@key_pairs.command("delete")
@click.argument("cloud_id")
@click.argument("name")
@_yes
@pass_state
def key_pairs_delete(state: State, cloud_id: str, name: str, yes: bool) -> None:
    """Delete a key pair."""
    _confirm(yes, f"Delete key pair {name}?")
    state.call(_op("delete_key_pair"), cloud_id=cloud_id, name=name)
    click.echo(f"Deleted key pair {name}.", err=True)


# ---------------------------------------------------------------- limits, statistics, power


@command.command()
@click.argument("cloud_id")
@output_option
@pass_state
def limits(state: State, cloud_id: str) -> None:
    """The credential's project limits (compute: used and allowed)."""
    emit(state, state.call(_op("get_cloud_limits"), cloud_id=cloud_id))


@command.command()
@click.argument("cloud_id")
@output_option
@pass_state
def statistics(state: State, cloud_id: str) -> None:
    """How many servers, stacks, users and projects the cloud holds."""
    emit(state, state.call(_op("get_cloud_statistics"), cloud_id=cloud_id))


@command.command()
@click.argument("cloud_id")
@click.argument("action", type=click.Choice(DEVICE_ACTIONS))
@click.option("--device", "device_id", help="A device (nova server) id.")
@click.option("--rack", "rack_id", help="A rack (Heat stack) id: suspend, resume or destroy only.")
@click.option("--wait", is_flag=True, help="Watch the job until the target state is reached, then summarise.")
@click.option("--wait-timeout", type=float, default=None, help="Give up waiting after this many seconds.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before destroy.")
@output_option
@pass_state
def power(
    state: State,
    cloud_id: str,
    action: str,
    device_id: str | None,
    rack_id: str | None,
    wait: bool,
    wait_timeout: float | None,
    yes: bool,
) -> None:
    """Power a device on or off, suspend, resume or destroy it, or a rack: a job."""
    from cloudplane_api.models.job import Job
    from cloudplane_client import parse_retry_after

    from cloudplane_cli.commands.jobs import finish, watch

    if (device_id is None) == (rack_id is None):
        raise click.UsageError("Give exactly one of --device and --rack.")
    if rack_id is not None and action not in RACK_ACTIONS:
        raise click.BadParameter(f"a rack takes {', '.join(RACK_ACTIONS)}", param_hint="ACTION")
    target = f"device {device_id}" if device_id else f"rack {rack_id}"
    if action == "destroy":
        _confirm(yes, f"Destroy {target}?")
    body = RawBody({"action": action})
    if device_id is not None:
        response = state.client.request(_op("device_action"), cloud_id=cloud_id, server_id=device_id, body=body)
    else:
        response = state.client.request(_op("rack_action"), cloud_id=cloud_id, stack_id=rack_id, body=body)
    job = Job.from_dict(response.json())
    if not wait:
        emit(state, job)
        return
    click.echo(f"Submitted {job.id} ({action} {target}).", err=True)
    finish(state, watch(state, job.id, wait_timeout, parse_retry_after(response.headers.get("Retry-After"))))

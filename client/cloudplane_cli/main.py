"""The root ``cloudplane`` group: global options, error handling, and the areas' commands.

Each module in ``cloudplane_cli/commands/`` is an area (``servers``, ``jobs``, ...) exposing one
click group or command named ``command``; the root finds them by listing the package, so a new
area (clouds, billing) is one new module and nothing else.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from cloudplane_cli import exits
from cloudplane_cli.state import FORMATS, State

COMMANDS_PACKAGE = "cloudplane_cli.commands"


def _area_names() -> list[str]:
    """The modules of the commands package (listed directly: pkgutil costs more than the listing)."""
    folder = os.path.join(os.path.dirname(__file__), "commands")
    names = (entry[:-3] for entry in os.listdir(folder) if entry.endswith(".py"))
    return sorted(name for name in names if not name.startswith("_"))


def report(error: BaseException) -> int:
    """Print an error the way a user can act on it, and return the exit code for it."""
    from cloudplane_client.errors import ApiError, JobTimeout

    if isinstance(error, ApiError):
        where = f" (request {error.request_id})" if error.request_id else ""
        click.secho(f"Error: {error.code} ({error.status}): {error.message}{where}", err=True, fg="red")
        fields = error.details.get("fields")
        if isinstance(fields, list):
            for item in fields:
                if isinstance(item, dict):
                    click.echo(f"  {item.get('path')}: {item.get('message')}", err=True)
        return exits.for_status(error.status)
    if isinstance(error, JobTimeout):
        click.secho(f"Error: {error}", err=True, fg="red")
        return exits.ERROR
    click.secho(f"Error: cannot reach the API: {type(error).__name__}: {error}", err=True, fg="red")
    return exits.SERVER


class Root(click.Group):
    """Areas loaded from ``cloudplane_cli.commands``; API errors turned into messages and exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *_area_names()])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        found = super().get_command(ctx, name)
        if found is not None or name not in _area_names():
            return found
        module = importlib.import_module(f"{COMMANDS_PACKAGE}.{name}")
        return module.command  # type: ignore[no-any-return]

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if not _is_api_failure(error):
                raise
            ctx.exit(report(error))


def _is_api_failure(error: BaseException) -> bool:
    """ApiError, JobTimeout or an httpx transport error: without importing httpx to ask."""
    names = {f"{c.__module__}.{c.__name__}" for c in type(error).__mro__}
    return bool(
        names & {"cloudplane_client.errors.ApiError", "cloudplane_client.errors.JobTimeout", "httpx.TransportError"}
    )


@click.group("cloudplane", cls=Root, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--profile", "-p", envvar="CLOUDPLANE_PROFILE", help="Profile from `cloudplane login` (default: the default one)."
)
@click.option(
    "--output",
    type=click.Choice(FORMATS),
    envvar="CLOUDPLANE_OUTPUT",
    default="table",
    show_default=True,
    help="Output format; commands take --output too.",
)
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds per HTTP request.")
@click.version_option("0.1.0", prog_name="cloudplane")
@click.pass_context
def cli(ctx: click.Context, profile: str | None, output: str, timeout: float) -> None:
    """Cloudplane from the command line: servers, pods, datasets, jobs and more.

    Start with `cloudplane login`. Exit codes: 2 usage or refused input, 3 auth, 4 not found,
    5 conflict, 6 server or network, 7 a waited-for job did not complete.
    """
    state = ctx.ensure_object(State)
    state.profile, state.timeout = profile, timeout
    if state.output == "table":  # a command's own --output (parsed first, eagerly) wins
        state.output = output


@cli.command()
@click.option("--profile", "-p", "name", default=None, help="Profile name (default: `default`).")
@click.option("--base-url", prompt="Base URL", default="http://127.0.0.1:7071", show_default=True)
@click.option(
    "--api-key",
    envvar="CLOUDPLANE_API_KEY",
    prompt="API key",
    hide_input=True,
    help="Prompted for (hidden) unless $CLOUDPLANE_API_KEY is set; never pass it on the command line.",
)
@click.option("--verify/--no-verify", default=True, show_default=True, help="Check the key with GET /api/v1/me.")
@click.pass_context
def login(ctx: click.Context, name: str | None, base_url: str, api_key: str, verify: bool) -> None:
    """Store a profile (base URL and key) in your config directory, readable by you only."""
    from cloudplane_cli import config

    name = name or ctx.find_object(State).profile or "default"  # type: ignore[union-attr]
    base_url = base_url.rstrip("/")
    if verify:
        from cloudplane_api.api.tenants import get_me
        from cloudplane_client import Cloudplane

        with Cloudplane(base_url, api_key, timeout=ctx.find_object(State).timeout) as client:  # type: ignore[union-attr]
            me = client.request(get_me).json()
        who = "the admin" if me.get("admin") else f"tenant {(me.get('tenant') or {}).get('slug')}"
        click.echo(f"Signed in to {base_url} as {who}.", err=True)
    data = config.load()
    data["profiles"][name] = {"base_url": base_url, "api_key": api_key}
    if not data.get("default") or len(data["profiles"]) == 1:
        data["default"] = name
    path = config.save(data)
    click.echo(f"Profile {name!r} saved in {path}.")


@cli.command()
@click.option("--profile", "-p", "name", default=None, help="Profile to remove (default: the default one).")
def logout(name: str | None) -> None:
    """Forget a profile's key."""
    from cloudplane_cli import config

    data = config.load()
    name = name or data.get("default") or "default"
    if data["profiles"].pop(name, None) is None:
        raise click.UsageError(f"No profile {name!r}.")
    if data.get("default") == name:
        data["default"] = next(iter(data["profiles"]), None)
    config.save(data)
    click.echo(f"Profile {name!r} removed.")


@cli.command()
@click.option("--use", "use", default=None, help="Make this profile the default.")
def profiles(use: str | None) -> None:
    """List profiles (keys are never shown), or choose the default one."""
    from cloudplane_cli import config

    data = config.load()
    if use is not None:
        if use not in data["profiles"]:
            raise click.UsageError(f"No profile {use!r}.")
        data["default"] = use
        config.save(data)
    for name, profile in sorted(data["profiles"].items()):
        mark = "*" if name == data.get("default") else " "
        click.echo(f"{mark} {name}\t{profile.get('base_url')}")


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script: `eval "$(cloudplane completion bash)"`."""
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None
    click.echo(completer(cli, {}, "cloudplane", "_CLOUDPLANE_COMPLETE").source())


def main() -> None:
    cli.main(prog_name="cloudplane", complete_var="_CLOUDPLANE_COMPLETE")


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)

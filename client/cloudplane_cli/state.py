"""What every command shares: the chosen profile, the output format, the client, and output."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from cloudplane_client import Cloudplane

FORMATS = ("table", "json", "yaml")
F = TypeVar("F", bound=Callable[..., Any])


class State:
    """The root's options for its commands (a plain class: dataclasses would import inspect)."""

    def __init__(self) -> None:
        self.profile: str | None = None
        self.output = "table"
        self.timeout = 30.0
        self._client: Cloudplane | None = None

    @property
    def client(self) -> Cloudplane:
        """The API client for the profile, built on first use (httpx is imported only then)."""
        if self._client is None:
            from cloudplane_client import Cloudplane

            from cloudplane_cli.config import resolve

            _, base_url, key = resolve(self.profile)
            self._client = Cloudplane(base_url, key, timeout=self.timeout)
            click.get_current_context().call_on_close(self._client.close)
        return self._client

    def call(self, op: Any, **arguments: Any) -> Any:
        return self.client.call(op, **arguments)


pass_state = click.make_pass_decorator(State, ensure=True)


def _set_output(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(State).output = value


def output_option(function: F) -> F:
    """``--output table|json|yaml`` on a command (it may also be given before the command)."""
    return click.option(
        "--output",
        type=click.Choice(FORMATS),
        expose_value=False,
        callback=_set_output,
        is_eager=True,
        help="Output format (default: table, or $CLOUDPLANE_OUTPUT).",
    )(function)


def plain(value: Any) -> Any:
    """A generated model (or list of them) as plain JSON data."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _cell(item: dict[str, Any], column: str) -> str:
    import json  # here, not at the top: json is not needed for --help

    value: Any = item
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def emit(state: State, data: Any, columns: Sequence[str] = (), *, title: str | None = None) -> None:
    """Print ``data`` as the chosen format: a table of ``columns`` for a list, key/value for one item."""
    import json

    data = plain(data)
    if state.output == "json":
        click.echo(json.dumps(data, indent=2, default=str))
        return
    if state.output == "yaml":
        import yaml

        click.echo(yaml.safe_dump(json.loads(json.dumps(data, default=str)), sort_keys=False).rstrip())
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_edge=False, header_style="bold")
    if isinstance(data, list):
        names = list(columns) or (sorted(data[0]) if data else ["id"])
        for name in names:
            table.add_column(name.upper().replace("_", " ").replace(".", " "), overflow="fold")
        for item in data:
            table.add_row(*(_cell(item, name) for name in names))
    else:
        table.add_column("FIELD", style="bold")
        table.add_column("VALUE", overflow="fold")
        for key, value in (data or {}).items():
            table.add_row(key, _cell({key: value}, key))
    Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200).print(table)


def emit_page(state: State, page: Any, columns: Sequence[str]) -> None:
    """A listing's items; the cursor for the next page goes to stderr (tables) or stays in the JSON."""
    import json

    data = plain(page)
    if state.output != "table":
        emit(state, data)
        return
    emit(state, data.get("items", []), columns)
    for failure in data.get("errors") or []:  # a partial listing: these servers' items are missing
        click.secho(f"Warning: {json.dumps(failure, default=str)}", err=True, fg="yellow")
    if data.get("has_more") and data.get("next_cursor"):
        click.echo(f"More: --cursor {data['next_cursor']}", err=True)


class RawBody:
    """A JSON body passed through as read from a file: the API validates it (422 names each field)."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def to_dict(self) -> Any:
        return self.data


def read_document(path: str) -> Any:
    """A JSON or YAML file (``-`` for stdin) as data."""
    import json

    with click.open_file(path, "r") as handle:
        text = handle.read()
    try:
        return json.loads(text)
    except ValueError:
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise click.BadParameter(f"{path} is neither JSON nor YAML ({exc})") from exc


def body_option(function: F) -> F:
    return click.option(
        "-f", "--file", "body_file", required=True, help="The request body: a JSON or YAML file, - for stdin."
    )(function)


def page_options(function: F) -> F:
    function = click.option("--limit", type=click.IntRange(1, 100), default=20, show_default=True)(function)
    return click.option("--cursor", help="The next_cursor of the previous page.")(function)


def paged(**arguments: Any) -> dict[str, Any]:
    """Drop options left unset, so the generated operation's defaults apply."""
    return {k: v for k, v in arguments.items() if v is not None}


def items_of(rows: Iterable[Any]) -> list[Any]:
    return [plain(r) for r in rows]

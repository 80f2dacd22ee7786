"""One builder for the commands most areas share: list, get, create, update, delete, test.

An area names its generated operations (modules of ``cloudplane_api.api.<tag>``) and the columns
of its table; the builder makes a click group whose commands import the generated module only
when they run. An area's own commands are added to the returned group with ``@group.command()``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import click

from cloudplane_cli.state import (
    RawBody,
    State,
    body_option,
    emit,
    emit_page,
    output_option,
    page_options,
    paged,
    pass_state,
)


def operation(tag: str, name: str) -> Any:
    """A generated operation module, e.g. ``operation("jobs", "get_job")``."""
    return importlib.import_module(f"cloudplane_api.api.{tag}.{name}")


class Area:
    """What an area's standard commands need; leave an operation ``None`` to have no such command.

    ``filters`` maps a list query parameter to its help text (``--server-id``, ``--status``, ...);
    ``update`` names a PATCH (partial) or PUT (whole) operation. A plain class, not a dataclass:
    importing dataclasses costs ``cloudplane --help`` more than the rest of this package.
    """

    def __init__(
        self,
        *,
        tag: str,
        noun: str,
        columns: Sequence[str],
        list: str | None = None,
        get: str | None = None,
        create: str | None = None,
        update: str | None = None,
        delete: str | None = None,
        test: str | None = None,
        filters: dict[str, str] | None = None,
        id_param: str = "",
    ) -> None:
        self.tag, self.noun, self.columns = tag, noun, columns
        self.list, self.get, self.create, self.update, self.delete, self.test = list, get, create, update, delete, test
        self.filters = filters or {}
        self.id_param = id_param or f"{noun}_id"


def area_group(name: str, help_text: str, area: Area) -> click.Group:
    group = click.Group(name, help=help_text)
    noun, id_param = area.noun, area.id_param

    if area.list:

        @group.command("list", help=f"List {name} (one page; --cursor for the next).")
        @page_options
        @output_option
        @pass_state
        def list_(state: State, /, limit: int, cursor: str | None, **filters: Any) -> None:
            page = state.call(operation(area.tag, area.list), **paged(limit=limit, cursor=cursor, **filters))  # type: ignore[arg-type]
            emit_page(state, page, area.columns)

        for parameter, text in area.filters.items():
            list_ = click.option(f"--{parameter.rstrip('_').replace('_', '-')}", parameter, default=None, help=text)(
                list_
            )

    if area.get:

        @group.command("get", help=f"Show one {noun}.")
        @click.argument(id_param)
        @output_option
        @pass_state
        def get(state: State, /, **arguments: Any) -> None:
            emit(state, state.call(operation(area.tag, area.get), **arguments))  # type: ignore[arg-type]

    if area.create:

        @group.command("create", help=f"Create a {noun} from a JSON or YAML file (-f FILE, - for stdin).")
        @body_option
        @output_option
        @pass_state
        def create(state: State, body_file: str) -> None:
            from cloudplane_cli.state import read_document

            created = state.call(operation(area.tag, area.create), body=RawBody(read_document(body_file)))  # type: ignore[arg-type]
            emit(state, created)

    if area.update:

        @group.command("update", help=f"Change a {noun} with the fields in a JSON or YAML file.")
        @click.argument(id_param)
        @body_option
        @output_option
        @pass_state
        def update(state: State, /, body_file: str, **arguments: Any) -> None:
            from cloudplane_cli.state import read_document

            changed = state.call(
                operation(area.tag, area.update),  # type: ignore[arg-type]
                body=RawBody(read_document(body_file)),
                **arguments,
            )
            emit(state, changed)

    if area.delete:

        @group.command("delete", help=f"Delete a {noun}.")
        @click.argument(id_param)
        @click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
        @pass_state
        def delete(state: State, /, yes: bool, **arguments: Any) -> None:
            if not yes:
                click.confirm(f"Delete {noun} {arguments[id_param]}?", abort=True, err=True)
            state.call(operation(area.tag, area.delete), **arguments)  # type: ignore[arg-type]
            click.echo(f"Deleted {noun} {arguments[id_param]}.", err=True)

    if area.test:

        @group.command("test", help=f"Check that the {noun} works (reachability, credentials).")
        @click.argument(id_param)
        @output_option
        @pass_state
        def test(state: State, /, **arguments: Any) -> None:
            result = state.call(operation(area.tag, area.test), **arguments)  # type: ignore[arg-type]
            emit(state, result)
            if not getattr(result, "ok", True):
                raise click.exceptions.Exit(1)

    return group

"""``cloudplane connections``: credentials for the systems migrations read from and write to."""

from __future__ import annotations

from cloudplane_cli.resources import Area, area_group

command = area_group(
    "connections",
    "Connections to external systems (migrations read and write through them).",
    Area(
        tag="connections",
        noun="connection",
        columns=("id", "name", "system", "base_url", "created_at"),
        list="list_connections",
        get="get_connection",
        create="create_connection",
        update="patch_connection",
        delete="delete_connection",
        test="run_connection_test",
    ),
)

"""``cloudplane pods``: pods across servers (a partial listing names the servers that failed)."""

from __future__ import annotations

from cloudplane_cli.resources import Area, area_group

command = area_group(
    "pods",
    "Pods across your servers.",
    Area(
        tag="pods",
        noun="pod",
        columns=("id", "name", "server_id", "status", "phase", "resources.gpus", "node_name"),
        list="list_pods",
        get="get_pod",
        create="create_pod",
        update="replace_pod",
        delete="delete_pod",
        filters={"server_id": "Only this server's pods.", "status": "Only pods in this status.", "label": "key=value"},
    ),
)

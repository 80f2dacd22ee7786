"""``cloudplane templates``: pod templates (image, command, resources) to create pods from."""

from __future__ import annotations

from cloudplane_cli.resources import Area, area_group

command = area_group(
    "templates",
    "Pod templates: image, command and resources to create pods from.",
    Area(
        tag="templates",
        noun="template",
        columns=("id", "name", "image", "resources.gpus", "created_at"),
        list="list_templates",
        get="get_template",
        create="create_template",
        update="replace_template",
        delete="delete_template",
    ),
)

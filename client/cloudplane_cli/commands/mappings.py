"""``cloudplane mappings`` (admin key): Entra ID tenants, groups or app roles mapped to tenants."""

from __future__ import annotations

from cloudplane_cli.resources import Area, area_group

command = area_group(
    "mappings",
    "Identity mappings (admin key): Entra ID tokens acting for a tenant.",
    Area(
        tag="tenants",
        noun="mapping",
        columns=("id", "entra_tenant_id", "tenant_id", "group_id", "app_role", "scopes", "created_at"),
        list="list_identity_mappings",
        get="get_identity_mapping",
        create="create_identity_mapping",
        delete="delete_identity_mapping",
    ),
)

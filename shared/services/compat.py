"""Seed 000's contract over the /api/v1 services: no second implementation.

The seed's listings walk the v1 pages and its create-or-update picks the v1 call; the shapes
are ``compat_shapes``. docs/compat.md has the mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import ValidationError

from shared.errors import ValidationFailed, validation_details
from shared.models.common import Page, PageQuery
from shared.models.compat import LegacyPodQuery, LegacyServerConfigure
from shared.models.pods import Pod, PodListQuery, PodPage, ServerFailure
from shared.models.servers import Server, ServerCreate, ServerPatch
from shared.models.templates import Template
from shared.models.tenants import Tenant
from shared.services.pods import PodsService
from shared.services.servers import ServersService
from shared.services.templates import TemplatesService

MAX_PAGES = 50
"""Legacy listings are not paged: they walk the v1 pages, up to this many of 100."""
T = TypeVar("T")


def _every_page(fetch: Callable[[str | None], Page[T]]) -> list[T]:
    """The items of up to ``MAX_PAGES`` pages, each fetched with the previous one's cursor."""
    found: list[T] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = fetch(cursor)
        found += page.items
        cursor = page.next_cursor
        if not page.has_more or cursor is None:
            break
    return found


def _validated(model: type[ServerCreate] | type[ServerPatch], fields: dict[str, Any]) -> Any:
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise ValidationFailed(
            "The request body is not valid.", details=validation_details(error.errors(), ("body",))
        ) from None


class CompatService:
    """The seed's listings and its create-or-update, as walks and calls of the v1 services."""

    def __init__(self, servers: ServersService, templates: TemplatesService, pods: PodsService) -> None:
        self._servers = servers
        self._templates = templates
        self._pods = pods

    def all_servers(self, tenant: Tenant) -> list[Server]:
        return _every_page(lambda cursor: self._servers.list_servers(tenant, PageQuery(limit=100, cursor=cursor)))

    def configure(self, tenant: Tenant, request: LegacyServerConfigure) -> tuple[Server, bool]:
        """Update the server ``id`` names (404 if none), else the one with this name; else create it.

        Returns the server and whether it was created.
        """
        fields = request.model_dump(exclude_unset=True, exclude={"id"})
        if "labels" in fields and fields["labels"] is None:
            fields["labels"] = {}  # seed clients send null for "no labels"
        target = request.id
        if target is None and request.name is not None:
            wanted = request.name.lower()
            target = next((server.id for server in self.all_servers(tenant) if server.name.lower() == wanted), None)
        if target is not None:
            return self._servers.patch_server(tenant, target, _validated(ServerPatch, fields)), False
        return self._servers.create_server(tenant, _validated(ServerCreate, fields)), True

    def all_templates(self, tenant: Tenant) -> list[Template]:
        return _every_page(lambda cursor: self._templates.list_templates(tenant, PageQuery(limit=100, cursor=cursor)))

    def all_pods(self, tenant_id: str, query: LegacyPodQuery) -> PodPage:
        """Every pod across the tenant's servers (v1 pages walked), with the unreachable servers."""
        found: list[Pod] = []
        errors: dict[str, ServerFailure] = {}
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            page = self._pods.list_pods(
                tenant_id, PodListQuery(limit=100, cursor=cursor, server_id=query.server_id, status=query.status)
            )
            found += page.items
            errors.update({failure.server_id: failure for failure in page.errors})
            cursor = page.next_cursor
            if not page.has_more or cursor is None:
                break
        return PodPage(items=found, has_more=False, errors=sorted(errors.values(), key=lambda f: f.server_id))

"""Pod templates: the built-ins (``builtin_templates``), plus each tenant's own in Table storage.

Built-in ids start with ``builtin:`` and are read-only (409 ``TEMPLATE_READ_ONLY``); a
tenant template may not take a built-in's name. ``TemplatesService.get_template`` is what pod creation
calls to start a pod from a template.
"""

from __future__ import annotations

import logging
import re
import uuid

from shared.clock import Clock
from shared.errors import Conflict, NotFound
from shared.logs import log_event
from shared.models.backup import ID_PATTERN
from shared.models.common import Page, PageQuery
from shared.models.templates import Template, TemplateBody
from shared.models.tenants import Tenant
from shared.services.builtin_templates import BUILTIN_NAMES, BUILTINS, is_builtin
from shared.storage.templates import TemplateRepository, name_taken

logger = logging.getLogger("cloudplane.templates")


def _not_found(template_id: str) -> NotFound:
    return NotFound(
        f"Template {template_id} not found.", code="TEMPLATE_NOT_FOUND", details={"template_id": template_id}
    )


def _read_only(template_id: str) -> Conflict:
    return Conflict(
        f"Template {template_id} is built in and cannot be changed.",
        code="TEMPLATE_READ_ONLY",
        details={"template_id": template_id},
    )


def check_name(name: str) -> None:
    """A tenant template may not shadow a built-in's name."""
    if name.lower() in BUILTIN_NAMES:
        raise name_taken(name)


class TemplatesService:
    def __init__(self, repository: TemplateRepository, clock: Clock) -> None:
        self._repository = repository
        self._clock = clock

    def get_template(self, tenant_id: str, template_id: str) -> Template:
        """A built-in or one of the tenant's templates; 404 ``TEMPLATE_NOT_FOUND`` otherwise."""
        if is_builtin(template_id):
            builtin = BUILTINS.get(template_id.lower())
            if builtin is None:
                raise _not_found(template_id)
            return builtin
        valid = re.fullmatch(ID_PATTERN, template_id) is not None
        template = self._repository.get(tenant_id, template_id) if valid else None
        if template is None:
            raise _not_found(template_id)
        return template

    def find(self, tenant_id: str, template_id: str) -> Template | None:
        """One of the tenant's own templates by id, or None (backup import compares against it)."""
        return self._repository.get(tenant_id, template_id)

    def list_templates(self, tenant: Tenant, page: PageQuery) -> Page[Template]:
        """Built-ins first (on the first page only, in addition to up to ``limit`` tenant templates)."""
        tenant_page = self._repository.page(tenant.id, page)
        if page.cursor:
            return tenant_page
        return Page[Template](
            items=[*BUILTINS.values(), *tenant_page.items],
            next_cursor=tenant_page.next_cursor,
            has_more=tenant_page.has_more,
        )

    def store_new(self, tenant_id: str, template_id: str, body: TemplateBody) -> Template:
        check_name(body.name)
        now = self._clock()
        template = Template(**body.model_dump(), id=template_id, builtin=False, created_at=now, updated_at=now)
        self._repository.create(tenant_id, template)
        log_event(logger, "template_created", tenant_id=tenant_id, template_id=template_id)
        return template

    def store_over(self, tenant_id: str, before: Template, body: TemplateBody) -> Template:
        if body.name.lower() != before.name.lower():
            check_name(body.name)
        after = Template(
            **body.model_dump(), id=before.id, builtin=False, created_at=before.created_at, updated_at=self._clock()
        )
        self._repository.replace(tenant_id, before, after)
        log_event(logger, "template_updated", tenant_id=tenant_id, template_id=before.id)
        return after

    def create_template(self, tenant: Tenant, body: TemplateBody) -> Template:
        return self.store_new(tenant.id, uuid.uuid4().hex, body)

    def replace_template(self, tenant: Tenant, template_id: str, body: TemplateBody) -> Template:
        before = self.get_template(tenant.id, template_id)
        if before.builtin:
            raise _read_only(template_id)
        return self.store_over(tenant.id, before, body)

    def delete_template(self, tenant: Tenant, template_id: str) -> None:
        template = self.get_template(tenant.id, template_id)
        if template.builtin:
            raise _read_only(template_id)
        self._repository.delete(tenant.id, template)
        log_event(logger, "template_deleted", tenant_id=tenant.id, template_id=template_id)

    def all_tenant_templates(self, tenant_id: str) -> list[Template]:
        """Every template of the tenant (for export), page by page."""
        found: list[Template] = []
        cursor: str | None = None
        while True:
            page = self._repository.page(tenant_id, PageQuery(limit=100, cursor=cursor))
            found.extend(page.items)
            if not page.has_more:
                return found
            cursor = page.next_cursor

"""Pod templates: built-ins defined here, plus each tenant's own in Table storage.

Built-in ids start with ``builtin:`` and are read-only (409 ``TEMPLATE_READ_ONLY``); a
tenant template may not take a built-in's name. ``get_template`` is what pod creation
calls to start a pod from a template.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import UTC, datetime

from shared import deps
from shared.errors import Conflict, NotFound
from shared.logs import log_event
from shared.models.backup import ID_PATTERN
from shared.models.common import Page, PageQuery
from shared.models.templates import PodResources, Template, TemplateBody
from shared.models.tenants import Tenant
from shared.storage.templates import name_taken

logger = logging.getLogger("cloudplane.templates")

BUILTIN_PREFIX = "builtin:"

BUILTINS: dict[str, Template] = {
    template.id: template
    for template in (
        Template(
            id="builtin:gpu-1",
            builtin=True,
            name="gpu-1",
            description="1 NVIDIA GPU, 8 CPU, 32 GiB",
            image="nvidia/cuda:12.4.0-base-ubuntu22.04",
            command=["sleep", "infinity"],
            resources=PodResources(gpus=1, cpu=8, ram_gb=32, storage_gb=50),
            labels={"cloudplane.io/template": "gpu-1"},
        ),
        Template(
            id="builtin:cpu-small",
            builtin=True,
            name="cpu-small",
            description="CPU only, 2 CPU, 4 GiB",
            image="ubuntu:22.04",
            command=["sleep", "infinity"],
            resources=PodResources(gpus=0, cpu=2, ram_gb=4, storage_gb=10),
            labels={"cloudplane.io/template": "cpu-small"},
        ),
    )
}
_BUILTIN_NAMES = {template.name.lower() for template in BUILTINS.values()}


def _now() -> datetime:
    return datetime.now(UTC)


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


def is_builtin(template_id: str) -> bool:
    return template_id.lower().startswith(BUILTIN_PREFIX)


def check_name(name: str) -> None:
    """A tenant template may not shadow a built-in's name."""
    if name.lower() in _BUILTIN_NAMES:
        raise name_taken(name)


def get_template(tenant_id: str, template_id: str) -> Template:
    """A built-in or one of the tenant's templates; 404 ``TEMPLATE_NOT_FOUND`` otherwise."""
    if is_builtin(template_id):
        builtin = BUILTINS.get(template_id.lower())
        if builtin is None:
            raise _not_found(template_id)
        return builtin
    valid = re.fullmatch(ID_PATTERN, template_id) is not None
    template = deps.templates().get(tenant_id, template_id) if valid else None
    if template is None:
        raise _not_found(template_id)
    return template


def list_templates(tenant: Tenant, page: PageQuery) -> Page[Template]:
    """Built-ins first (on the first page only, in addition to up to ``limit`` tenant templates)."""
    tenant_page = deps.templates().page(tenant.id, page)
    if page.cursor:
        return tenant_page
    return Page[Template](
        items=[*BUILTINS.values(), *tenant_page.items],
        next_cursor=tenant_page.next_cursor,
        has_more=tenant_page.has_more,
    )


def store_new(tenant_id: str, template_id: str, body: TemplateBody) -> Template:
    check_name(body.name)
    now = _now()
    template = Template(**body.model_dump(), id=template_id, builtin=False, created_at=now, updated_at=now)
    deps.templates().create(tenant_id, template)
    log_event(logger, "template_created", tenant_id=tenant_id, template_id=template_id)
    return template


def store_over(tenant_id: str, before: Template, body: TemplateBody) -> Template:
    if body.name.lower() != before.name.lower():
        check_name(body.name)
    after = Template(**body.model_dump(), id=before.id, builtin=False, created_at=before.created_at, updated_at=_now())
    deps.templates().replace(tenant_id, before, after)
    log_event(logger, "template_updated", tenant_id=tenant_id, template_id=before.id)
    return after


def create_template(tenant: Tenant, body: TemplateBody) -> Template:
    return store_new(tenant.id, uuid.uuid4().hex, body)


def replace_template(tenant: Tenant, template_id: str, body: TemplateBody) -> Template:
    before = get_template(tenant.id, template_id)
    if before.builtin:
        raise _read_only(template_id)
    return store_over(tenant.id, before, body)


def delete_template(tenant: Tenant, template_id: str) -> None:
    template = get_template(tenant.id, template_id)
    if template.builtin:
        raise _read_only(template_id)
    deps.templates().delete(tenant.id, template)
    log_event(logger, "template_deleted", tenant_id=tenant.id, template_id=template_id)


def all_tenant_templates(tenant_id: str) -> list[Template]:
    """Every template of the tenant (for export), page by page."""
    found: list[Template] = []
    cursor: str | None = None
    while True:
        page = deps.templates().page(tenant_id, PageQuery(limit=100, cursor=cursor))
        found.extend(page.items)
        if not page.has_more:
            return found
        cursor = page.next_cursor

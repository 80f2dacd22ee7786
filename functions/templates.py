"""Pod templates: built-ins (read-only, ids ``builtin:...``) and the tenant's own."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.models.common import Page, PageQuery
from shared.models.templates import Template, TemplateBody

bp = func.Blueprint()


@endpoint(
    bp, "GET", "v1/templates", summary="List templates", tag="templates", query=PageQuery, response=Page[Template]
)
def list_templates(ctx: RequestContext) -> Page[Template]:
    """Built-in templates first (on the first page only, besides up to ``limit`` of the tenant's), then the
    tenant's own, paged with ``cursor``."""
    return deps.templates_service().list_templates(ctx.caller.require_tenant(), ctx.query)


@endpoint(
    bp,
    "POST",
    "v1/templates",
    summary="Create a template",
    tag="templates",
    body=TemplateBody,
    response=Template,
    status=201,
    errors=(409, 422),
)
def create_template(ctx: RequestContext) -> Template:
    """Names are unique per tenant (case-insensitive) and may not be a built-in's name."""
    return deps.templates_service().create_template(ctx.caller.require_tenant(), ctx.body)


@endpoint(
    bp, "GET", "v1/templates/{template_id}", summary="Get a template", tag="templates", response=Template, errors=(404,)
)
def get_template(ctx: RequestContext) -> Template:
    return deps.templates_service().get_template(ctx.caller.require_tenant().id, ctx.path["template_id"])


@endpoint(
    bp,
    "PUT",
    "v1/templates/{template_id}",
    summary="Replace a template",
    tag="templates",
    body=TemplateBody,
    response=Template,
    errors=(404, 409, 422),
)
def replace_template(ctx: RequestContext) -> Template:
    """Built-in templates are read-only (409 ``TEMPLATE_READ_ONLY``)."""
    return deps.templates_service().replace_template(ctx.caller.require_tenant(), ctx.path["template_id"], ctx.body)


@endpoint(
    bp,
    "DELETE",
    "v1/templates/{template_id}",
    summary="Delete a template",
    tag="templates",
    status=204,
    errors=(404, 409),
)
def delete_template(ctx: RequestContext) -> None:
    """Built-in templates are read-only (409 ``TEMPLATE_READ_ONLY``)."""
    deps.templates_service().delete_template(ctx.caller.require_tenant(), ctx.path["template_id"])

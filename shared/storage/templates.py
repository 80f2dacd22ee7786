"""Tenant pod templates in Table storage.

Table ``templates``, one partition per tenant (``tenant:<id>``): ``t:<template id>`` is the
template (its content as JSON in ``body``), ``n:<hash of the lower-case name>`` reserves its
name. Creating, renaming and deleting write both in one transaction, like servers. The name
is hashed for the key because template names may hold characters a RowKey may not.
"""

from __future__ import annotations

import hashlib
from typing import Any

from azure.data.tables import TableEntity

from shared.errors import Conflict
from shared.models.common import Page, PageQuery
from shared.models.templates import Template, TemplateBody
from shared.storage.base import TableRepository

TEMPLATES = "templates"


def _partition(tenant_id: str) -> str:
    return f"tenant:{tenant_id}"


def _name_key(name: str) -> str:
    return "n:" + hashlib.sha256(name.lower().encode()).hexdigest()


def name_taken(name: str) -> Conflict:
    return Conflict(f"A template named {name!r} exists.", code="TEMPLATE_NAME_TAKEN", details={"name": name})


def _template(entity: TableEntity) -> Template:
    body = TemplateBody.model_validate_json(entity["body"])
    return Template(
        **body.model_dump(),
        id=entity["id"],
        builtin=False,
        created_at=entity["created_at"],
        updated_at=entity["updated_at"],
    )


def _entity(tenant_id: str, template: Template) -> dict[str, Any]:
    body = TemplateBody.model_validate(template.model_dump(include=set(TemplateBody.model_fields)))
    return {
        "PartitionKey": _partition(tenant_id),
        "RowKey": f"t:{template.id}",
        "tenant_id": tenant_id,
        "id": template.id,
        "name": template.name,
        "body": body.model_dump_json(),
        "created_at": template.created_at,
        "updated_at": template.updated_at,
    }


def _reservation(tenant_id: str, template: Template) -> dict[str, Any]:
    return {"PartitionKey": _partition(tenant_id), "RowKey": _name_key(template.name), "template_id": template.id}


class TemplateRepository(TableRepository):
    TABLE = TEMPLATES

    def create(self, tenant_id: str, template: Template) -> None:
        """Store the template and reserve its name atomically; a taken name (or id) is a 409."""
        self.create_reserved(
            _reservation(tenant_id, template), _entity(tenant_id, template), lambda: name_taken(template.name)
        )

    def get(self, tenant_id: str, template_id: str) -> Template | None:
        entity = self.get_or_none(_partition(tenant_id), f"t:{template_id}")
        return _template(entity) if entity is not None else None

    def page(self, tenant_id: str, page: PageQuery) -> Page[Template]:
        return self.range_page(_partition(tenant_id), "t:", page, _template)

    def replace(self, tenant_id: str, before: Template, after: Template) -> None:
        """Write ``after`` over ``before``, moving the name reservation if the name changed."""
        renamed = _name_key(before.name) != _name_key(after.name)
        self.replace_reserved(
            _name_key(before.name) if renamed else None,
            _reservation(tenant_id, after) if renamed else None,
            _entity(tenant_id, after),
            lambda: name_taken(after.name),
        )

    def delete(self, tenant_id: str, template: Template) -> None:
        self.delete_reserved(_partition(tenant_id), f"t:{template.id}", _name_key(template.name))

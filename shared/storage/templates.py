"""Tenant pod templates in Table storage.

Table ``templates``, one partition per tenant (``tenant:<id>``): ``t:<template id>`` is the
template (its content as JSON in ``body``), ``n:<hash of the lower-case name>`` reserves its
name. Creating, renaming and deleting write both in one transaction, like servers. The name
is hashed for the key because template names may hold characters a RowKey may not.
"""

from __future__ import annotations

import hashlib
from typing import Any

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.data.tables import TableEntity, TableTransactionError

from shared.errors import Conflict
from shared.models.common import Page, PageQuery
from shared.models.templates import Template, TemplateBody
from shared.storage.clients import StorageClients
from shared.storage.pagination import query_page

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


def _is_conflict(error: Exception) -> bool:
    return "EntityAlreadyExists" in str(getattr(error, "error_code", "")) or "already exists" in str(error).lower()


class TemplateRepository:
    def __init__(self, clients: StorageClients) -> None:
        self._clients = clients

    @property
    def _table(self) -> Any:
        return self._clients.table(TEMPLATES)

    def create(self, tenant_id: str, template: Template) -> None:
        """Store the template and reserve its name atomically; a taken name (or id) is a 409."""
        name_row = {
            "PartitionKey": _partition(tenant_id),
            "RowKey": _name_key(template.name),
            "template_id": template.id,
        }
        try:
            self._table.submit_transaction([("create", name_row), ("create", _entity(tenant_id, template))])
        except (TableTransactionError, ResourceExistsError) as error:
            if _is_conflict(error):
                raise name_taken(template.name) from None
            raise

    def get(self, tenant_id: str, template_id: str) -> Template | None:
        try:
            return _template(self._table.get_entity(_partition(tenant_id), f"t:{template_id}"))
        except ResourceNotFoundError:
            return None

    def page(self, tenant_id: str, page: PageQuery) -> Page[Template]:
        return query_page(
            self._table,
            "PartitionKey eq @pk and RowKey ge @lo and RowKey lt @hi",
            {"pk": _partition(tenant_id), "lo": "t:", "hi": "t;"},
            page,
            _template,
        )

    def replace(self, tenant_id: str, before: Template, after: Template) -> None:
        """Write ``after`` over ``before``, moving the name reservation if the name changed."""
        partition = _partition(tenant_id)
        operations: list[Any] = []
        if _name_key(before.name) != _name_key(after.name):
            operations.append(("delete", {"PartitionKey": partition, "RowKey": _name_key(before.name)}))
            name_row = {"PartitionKey": partition, "RowKey": _name_key(after.name), "template_id": after.id}
            operations.append(("create", name_row))
        operations.append(("upsert", _entity(tenant_id, after), {"mode": "replace"}))
        try:
            self._table.submit_transaction(operations)
        except (TableTransactionError, ResourceExistsError) as error:
            if _is_conflict(error):
                raise name_taken(after.name) from None
            raise

    def delete(self, tenant_id: str, template: Template) -> None:
        partition = _partition(tenant_id)
        try:
            self._table.submit_transaction(
                [
                    ("delete", {"PartitionKey": partition, "RowKey": f"t:{template.id}"}),
                    ("delete", {"PartitionKey": partition, "RowKey": _name_key(template.name)}),
                ]
            )
        except (TableTransactionError, ResourceNotFoundError):
            for row in (f"t:{template.id}", _name_key(template.name)):
                self._table.delete_entity(partition, row)

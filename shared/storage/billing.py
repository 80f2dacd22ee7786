"""The built-in billing provider's rows in Table storage.

Table ``billing``. One partition per account (``acct:<account id>``) holds everything that must
change together: the account row ``a`` (status, credit balance, the first open period, the
last invoice number), its usage records ``u:<record id>``, closed invoices ``i:<period>``,
credit top-ups ``c:<credit id>`` and orders ``o:<order id>``. Every write that depends on
the account's state is one entity-group transaction that also rewrites the account row under
its ETag, so a usage record can never land in a period a concurrent closer has just closed
(the closer's own write changed the ETag first), and two closers cannot both number an invoice.

Per tenant (``tenant:<id>``): ``a:<account id>`` lists the tenant's accounts, and
``r:<effective from>`` holds the rate card versions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import TableEntity, TableTransactionError, UpdateMode

from shared.storage.base import TableRepository, is_conflict

BILLING = "billing"

Row = dict[str, Any]


class StaleAccount(Exception):
    """The account row changed since it was read: read it again and redo the step."""


class RowExists(Exception):
    """A row the write creates is already there (a duplicate delivery, or another instance won)."""


def account_partition(account_id: str) -> str:
    return f"acct:{account_id}"


def tenant_partition(tenant_id: str) -> str:
    return f"tenant:{tenant_id}"


def _stale(error: Exception) -> bool:
    text = f"{getattr(error, 'error_code', '')} {error}"
    return "UpdateConditionNotSatisfied" in text or "ConditionNotMet" in text or "412" in text


class BillingRepository(TableRepository):
    TABLE = BILLING

    # ---------------------------------------------------------------- the account row

    def account_row(self, account_id: str) -> TableEntity | None:
        """The account row (with its ETag in ``.metadata``), or ``None``."""
        return self.get_or_none(account_partition(account_id), "a")

    def create_account(self, row: Row) -> bool:
        """Store a new account row; ``False`` when it exists already (the owner's earlier call)."""
        try:
            self.table.create_entity({**row, "PartitionKey": account_partition(row["id"]), "RowKey": "a"})
        except ResourceExistsError:
            return False
        return True

    def index_account(self, tenant_id: str, account_id: str) -> None:
        """The tenant's list entry (an upsert: repeated by a retried open, harmlessly)."""
        self.table.upsert_entity({"PartitionKey": tenant_partition(tenant_id), "RowKey": f"a:{account_id}"})

    def account_ids(self, tenant_id: str) -> list[str]:
        return [row["RowKey"][2:] for row in self.in_range(tenant_partition(tenant_id), "a:")]

    def commit(
        self, account: TableEntity, changes: Row, creates: Sequence[Row] = (), upserts: Sequence[Row] = ()
    ) -> None:
        """Merge ``changes`` into the account row under the ETag it was read with, and write the rows.

        All in one transaction. Raises ``StaleAccount`` if the account changed meanwhile and
        ``RowExists`` if a created row is there already; either way nothing was written.
        """
        partition = account_partition(account["id"])
        operations: list[Any] = [
            (
                "update",
                {**changes, "PartitionKey": partition, "RowKey": "a"},
                {
                    "mode": UpdateMode.MERGE,
                    "etag": account.metadata["etag"],
                    "match_condition": MatchConditions.IfNotModified,
                },
            )
        ]
        operations += [("create", {**row, "PartitionKey": partition}) for row in creates]
        operations += [("upsert", {**row, "PartitionKey": partition}, {"mode": UpdateMode.REPLACE}) for row in upserts]
        try:
            self.table.submit_transaction(operations)
        except (TableTransactionError, ResourceExistsError, ResourceModifiedError, ResourceNotFoundError) as error:
            if _stale(error):
                raise StaleAccount() from None
            if is_conflict(error):
                raise RowExists() from None
            raise

    # ---------------------------------------------------------------- rows of an account

    def rows(self, account_id: str, prefix: str) -> list[TableEntity]:
        return self.in_range(account_partition(account_id), prefix)

    def row(self, account_id: str, key: str) -> TableEntity | None:
        return self.get_or_none(account_partition(account_id), key)

    def usage_rows(self, account_id: str, billed_period: str, select: list[str] | None = None) -> Iterator[TableEntity]:
        """The usage records billed on ``billed_period``'s invoice (streamed, one partition query)."""
        return iter(
            self.table.query_entities(
                "PartitionKey eq @pk and RowKey ge 'u:' and RowKey lt 'u;' and billed_period eq @period",
                parameters={"pk": account_partition(account_id), "period": billed_period},
                select=select,
            )
        )

    # ---------------------------------------------------------------- rate cards

    def rate_card_rows(self, tenant_id: str) -> list[TableEntity]:
        return self.in_range(tenant_partition(tenant_id), "r:")

    def add_rate_card(self, tenant_id: str, row: Row) -> bool:
        try:
            self.table.create_entity({**row, "PartitionKey": tenant_partition(tenant_id)})
        except ResourceExistsError:
            return False
        return True

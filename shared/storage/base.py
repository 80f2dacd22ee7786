"""The small base every Table repository stands on.

A repository names its table and gets: the table handle (created on first use), a point read
that answers ``None`` for a missing row, queries over a RowKey range (one prefix of a
partition) and pages of them through the one pagination helper, and the unique-name
reservation: a row that holds a name, written in the same transaction as the row it names,
so a name is never taken without its owner nor an owner stored without its name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.data.tables import TableClient, TableEntity, TableTransactionError

from shared.errors import Conflict
from shared.models.common import Page, PageQuery
from shared.storage.clients import StorageClients
from shared.storage.pagination import query_page

T = TypeVar("T")
Row = dict[str, Any]


def is_conflict(error: Exception) -> bool:
    """Whether a failed write (alone or in a transaction) failed because a row already exists."""
    return "EntityAlreadyExists" in str(getattr(error, "error_code", "")) or "already exists" in str(error).lower()


def row_range(prefix: str) -> tuple[str, str]:
    """The RowKeys ``[prefix, prefix with its last character + 1)``: every key starting with ``prefix``."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


_RANGE_FILTER = "PartitionKey eq @pk and RowKey ge @lo and RowKey lt @hi"


class TableRepository:
    """Subclasses set ``TABLE``; the table is created on this process's first use of it."""

    TABLE: ClassVar[str]

    def __init__(self, clients: StorageClients) -> None:
        self._clients = clients

    @property
    def table(self) -> TableClient:
        return self._clients.table(self.TABLE)

    def get_or_none(self, partition: str, row: str) -> TableEntity | None:
        try:
            return self.table.get_entity(partition, row)
        except ResourceNotFoundError:
            return None

    def delete_if_present(self, partition: str, row: str) -> None:
        try:
            self.table.delete_entity(partition, row)
        except ResourceNotFoundError:
            pass

    def in_range(self, partition: str, prefix: str) -> list[TableEntity]:
        """Every row of ``partition`` whose RowKey starts with ``prefix`` (one query)."""
        low, high = row_range(prefix)
        return list(self.table.query_entities(_RANGE_FILTER, parameters={"pk": partition, "lo": low, "hi": high}))

    def range_page(self, partition: str, prefix: str, page: PageQuery, convert: Callable[[Any], T]) -> Page[T]:
        """One page of the rows of ``partition`` whose RowKey starts with ``prefix``."""
        low, high = row_range(prefix)
        return query_page(self.table, _RANGE_FILTER, {"pk": partition, "lo": low, "hi": high}, page, convert)

    def partition_page(self, partition: str, page: PageQuery, convert: Callable[[Any], T]) -> Page[T]:
        return query_page(self.table, "PartitionKey eq @pk", {"pk": partition}, page, convert)

    # ---------------------------------------------------------------- unique-name reservations

    def create_reserved(self, reservation: Row, entity: Row, taken: Callable[[], Conflict]) -> None:
        """Write the name's reservation and ``entity`` together; a taken name (or key) is ``taken()``."""
        self._reserving([("create", reservation), ("create", entity)], taken)

    def replace_reserved(
        self, released: str | None, reservation: Row | None, entity: Row, taken: Callable[[], Conflict]
    ) -> None:
        """Write ``entity`` over its row; when the name changed, move the reservation in the same transaction.

        ``released`` is the old reservation's RowKey and ``reservation`` the new one's row, both
        ``None`` when the name stays.
        """
        operations: list[Any] = []
        if released is not None and reservation is not None:
            operations += [
                ("delete", {"PartitionKey": reservation["PartitionKey"], "RowKey": released}),
                ("create", reservation),
            ]
        operations.append(("upsert", entity, {"mode": "replace"}))
        self._reserving(operations, taken)

    def delete_reserved(self, partition: str, row: str, reservation: str) -> None:
        """Remove a row and its name's reservation; after a concurrent delete, whatever is left."""
        try:
            self.table.submit_transaction(
                [
                    ("delete", {"PartitionKey": partition, "RowKey": row}),
                    ("delete", {"PartitionKey": partition, "RowKey": reservation}),
                ]
            )
        except (TableTransactionError, ResourceNotFoundError):
            for key in (row, reservation):
                self.table.delete_entity(partition, key)

    def _reserving(self, operations: list[Any], taken: Callable[[], Conflict]) -> None:
        try:
            self.table.submit_transaction(operations)
        except (TableTransactionError, ResourceExistsError) as error:
            if is_conflict(error):
                raise taken() from None
            raise

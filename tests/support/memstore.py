"""In-memory doubles of the Table, Queue and Blob clients, for unit tests of the engine's logic.

Why a double at all when the suite has Azurite: the engine's step logic (conditional writes,
retries on a conflict, the outbox, duplicate deliveries) is best tested by driving it step by
step and injecting faults between two calls, which a real emulator makes slow and awkward.
The double honours what that logic relies on, and nothing more: ETags that change on every
write, If-Match on update and delete, all-or-nothing entity-group transactions, RowKey-ordered
queries with the filters the engine writes, and the SDK's exception types. The Azurite tests
stay: they are what shows the real service agrees.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import TableTransactionError, UpdateMode

_etags = itertools.count(1)


class Entity(dict[str, Any]):
    """An entity as the SDK returns it: a dict with ``metadata["etag"]``."""

    metadata: dict[str, Any]


def _stored(entity: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entity.items() if v is not None}


_CLAUSE = re.compile(r"^(\w+) (eq|ne|ge|gt|le|lt) (@\w+|'[^']*')$")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "ge": lambda a, b: a is not None and a >= b,
    "gt": lambda a, b: a is not None and a > b,
    "le": lambda a, b: a is not None and a <= b,
    "lt": lambda a, b: a is not None and a < b,
}


def _matches(entity: dict[str, Any], query: str, parameters: dict[str, Any]) -> bool:
    """The OData subset the app writes: clauses joined by ``and``, a parenthesised ``or`` group."""
    for clause in _split(query, " and "):
        if clause.startswith("(") and clause.endswith(")"):
            if not any(_clause(entity, part, parameters) for part in _split(clause[1:-1], " or ")):
                return False
        elif not _clause(entity, clause, parameters):
            return False
    return True


def _split(text: str, separator: str) -> list[str]:
    parts, depth, current = [], 0, ""
    index = 0
    while index < len(text):
        if text.startswith(separator, index) and depth == 0:
            parts.append(current.strip())
            current, index = "", index + len(separator)
            continue
        char = text[index]
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
        index += 1
    parts.append(current.strip())
    return parts


def _clause(entity: dict[str, Any], clause: str, parameters: dict[str, Any]) -> bool:
    match = _CLAUSE.match(clause)
    if match is None:
        raise ValueError(f"the double does not understand {clause!r}")
    name, op, operand = match.groups()
    value = parameters[operand[1:]] if operand.startswith("@") else operand[1:-1]
    actual = entity.get(name)
    if isinstance(value, datetime) and not isinstance(actual, datetime):
        return False
    return _COMPARE[op](actual, value)


class _Pages:
    """What ``query_entities(...).by_page()`` returns: pages, and the token of the next one.

    Tokens have the service's shape (``{"PartitionKey", "RowKey"}`` of the next entity)."""

    def __init__(self, found: list[Entity], size: int, token: dict[str, str] | None) -> None:
        start = 0
        if token:
            after = (token["PartitionKey"], token["RowKey"])
            start = next((i for i, e in enumerate(found) if (e["PartitionKey"], e["RowKey"]) >= after), len(found))
        self._rest, self._size = found[start:], size
        self.continuation_token: dict[str, str] | None = None

    def __iter__(self) -> _Pages:
        return self

    def __next__(self) -> list[Entity]:
        if not self._rest and self.continuation_token is None and getattr(self, "_served", False):
            raise StopIteration
        self._served = True
        page, self._rest = self._rest[: self._size], self._rest[self._size :]
        following = self._rest[0] if self._rest else None
        self.continuation_token = (
            {"PartitionKey": following["PartitionKey"], "RowKey": following["RowKey"]} if following else None
        )
        return page


@dataclass
class _Query:
    found: list[Entity]
    size: int

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.found)

    def by_page(self, continuation_token: Any = None) -> _Pages:
        return _Pages(self.found, self.size, continuation_token)


class MemTable:
    def __init__(self, name: str) -> None:
        self.name = name
        self.rows: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        self.calls: list[str] = []
        self.fail_next: dict[str, Exception] = {}
        """An operation name (``submit_transaction``, ``get_entity``, ...) -> the error its next call raises."""

    def _fault(self, operation: str) -> None:
        self.calls.append(operation)
        error = self.fail_next.pop(operation, None)
        if error is not None:
            raise error

    def _entity(self, key: tuple[str, str]) -> Entity:
        stored, etag = self.rows[key]
        entity = Entity(copy.deepcopy(stored))
        entity.metadata = {"etag": etag}
        return entity

    def _write(self, entity: dict[str, Any]) -> str:
        etag = f'W/"{next(_etags)}"'
        self.rows[(entity["PartitionKey"], entity["RowKey"])] = (_stored(copy.deepcopy(entity)), etag)
        return etag

    def get_entity(self, partition_key: str, row_key: str, **_: Any) -> Entity:
        self._fault("get_entity")
        if (partition_key, row_key) not in self.rows:
            raise ResourceNotFoundError("not found")
        return self._entity((partition_key, row_key))

    def create_entity(self, entity: dict[str, Any], **_: Any) -> dict[str, Any]:
        self._fault("create_entity")
        return {"etag": self._create(entity)}

    def _create(self, entity: dict[str, Any]) -> str:
        if (entity["PartitionKey"], entity["RowKey"]) in self.rows:
            raise ResourceExistsError("exists")
        return self._write(entity)

    def upsert_entity(self, entity: dict[str, Any], mode: UpdateMode = UpdateMode.MERGE, **_: Any) -> dict[str, Any]:
        self._fault("upsert_entity")
        return {"etag": self._upsert(entity, mode)}

    def _upsert(self, entity: dict[str, Any], mode: UpdateMode) -> str:
        key = (entity["PartitionKey"], entity["RowKey"])
        if mode == UpdateMode.MERGE and key in self.rows:
            return self._write({**self.rows[key][0], **_stored(entity)})
        return self._write(entity)

    def update_entity(
        self,
        entity: dict[str, Any],
        mode: UpdateMode = UpdateMode.MERGE,
        etag: str | None = None,
        match_condition: MatchConditions | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        self._fault("update_entity")
        return {"etag": self._update(entity, mode, etag, match_condition)}

    def _update(
        self, entity: dict[str, Any], mode: UpdateMode, etag: str | None, match_condition: MatchConditions | None
    ) -> str:
        key = (entity["PartitionKey"], entity["RowKey"])
        if key not in self.rows:
            raise ResourceNotFoundError("not found")
        if match_condition == MatchConditions.IfNotModified and self.rows[key][1] != etag:
            raise ResourceModifiedError("precondition failed")
        if mode == UpdateMode.MERGE:
            return self._write({**self.rows[key][0], **_stored(entity)})
        return self._write(entity)

    def delete_entity(
        self,
        partition_key: str,
        row_key: str,
        etag: str | None = None,
        match_condition: MatchConditions | None = None,
        **_: Any,
    ) -> None:
        self._fault("delete_entity")
        self._delete((partition_key, row_key), etag, match_condition, missing_ok=True)

    def _delete(
        self, key: tuple[str, str], etag: str | None, match_condition: MatchConditions | None, missing_ok: bool
    ) -> None:
        if key not in self.rows:
            if missing_ok:
                return  # the service answers 404, which the SDK's delete_entity swallows
            raise ResourceNotFoundError("not found")
        if match_condition == MatchConditions.IfNotModified and self.rows[key][1] != etag:
            raise ResourceModifiedError("precondition failed")
        del self.rows[key]

    def query_entities(
        self,
        query_filter: str,
        parameters: dict[str, Any] | None = None,
        select: list[str] | None = None,
        results_per_page: int | None = None,
        **_: Any,
    ) -> Any:
        self._fault("query_entities")
        found = [
            self._entity(key)
            for key in sorted(self.rows)
            if _matches(self.rows[key][0], query_filter, parameters or {})
        ]
        return found if results_per_page is None else _Query(found, results_per_page)

    def submit_transaction(self, operations: list[tuple[Any, ...]], **_: Any) -> list[dict[str, Any]]:
        """All or nothing, in one partition, as the service does; the error names the status."""
        self._fault("submit_transaction")
        partitions = {op[1]["PartitionKey"] for op in operations}
        assert len(partitions) == 1, "an entity-group transaction spans one partition"
        assert len(operations) <= 100, "an entity-group transaction holds at most 100 operations"
        saved = dict(self.rows)
        results: list[dict[str, Any]] = []
        try:
            for operation in operations:
                kind, entity = operation[0], operation[1]
                options = operation[2] if len(operation) > 2 else {}
                if kind == "create":
                    etag = self._create(entity)
                elif kind == "upsert":
                    etag = self._upsert(entity, options.get("mode", UpdateMode.MERGE))
                elif kind == "update":
                    etag = self._update(
                        entity,
                        options.get("mode", UpdateMode.MERGE),
                        options.get("etag"),
                        options.get("match_condition"),
                    )
                elif kind == "delete":
                    key = (entity["PartitionKey"], entity["RowKey"])
                    self._delete(key, options.get("etag"), options.get("match_condition"), missing_ok=False)
                    etag = ""
                else:
                    raise ValueError(kind)
                results.append({"etag": etag})
        except (ResourceExistsError, ResourceModifiedError, ResourceNotFoundError) as error:
            self.rows = saved
            failure = TableTransactionError(message=str(error))
            failure.status_code = {ResourceExistsError: 409, ResourceModifiedError: 412}.get(type(error), 404)
            raise failure from None
        return results

    def keys(self, partition: str, prefix: str = "") -> list[str]:
        return [row for (pk, row) in sorted(self.rows) if pk == partition and row.startswith(prefix)]


@dataclass
class MemQueue:
    name: str
    messages: list[str] = field(default_factory=list)
    fail_sends: int = 0

    def create_queue(self) -> None: ...

    def send_message(self, text: str, **_: Any) -> None:
        if self.fail_sends:
            self.fail_sends -= 1
            raise ConnectionError("the queue is unreachable")
        self.messages.append(text)

    def take(self) -> list[str]:
        taken, self.messages = self.messages, []
        return taken


@dataclass
class _Properties:
    size: int


class MemBlob:
    def __init__(self, container: MemContainer, name: str) -> None:
        self.container, self.blob_name = container, name
        self.staged: dict[str, bytes] = {}

    def stage_block(self, block_id: str, data: bytes, **_: Any) -> None:
        self.container.staged.setdefault(self.blob_name, {})[block_id] = bytes(data)

    def commit_block_list(self, blocks: list[Any], **_: Any) -> None:
        staged = self.container.staged.get(self.blob_name, {})
        self.container.blobs[self.blob_name] = b"".join(staged[block.id] for block in blocks)

    def get_blob_properties(self) -> _Properties:
        if self.blob_name not in self.container.blobs:
            raise ResourceNotFoundError("no blob")
        return _Properties(len(self.container.blobs[self.blob_name]))

    def download_blob(self) -> Any:
        self.container.downloads += 1
        data = self.container.blobs[self.blob_name]
        return type("Download", (), {"readall": lambda _self: data})()


class MemContainer:
    account_name = "devstoreaccount1"

    def __init__(self, name: str) -> None:
        self.container_name = name
        self.blobs: dict[str, bytes] = {}
        self.staged: dict[str, dict[str, bytes]] = {}
        self.downloads = 0

    def create_container(self) -> None: ...

    def get_blob_client(self, name: str) -> MemBlob:
        return MemBlob(self, name)

    def upload_blob(self, name: str, data: bytes, **_: Any) -> None:
        self.blobs[name] = bytes(data)

    def download_blob(self, name: str) -> Any:
        return self.get_blob_client(name).download_blob()


class _Queues:
    def __init__(self, store: MemStorage) -> None:
        self.store = store

    def get_queue_client(self, name: str, **_: Any) -> MemQueue:
        return self.store.queue(name)


class _Blobs:
    def __init__(self, store: MemStorage) -> None:
        self.store = store
        self.url = "http://127.0.0.1:10000/devstoreaccount1"

    def get_container_client(self, name: str) -> MemContainer:
        return self.store.container(name)


class MemStorage:
    """Stands where ``StorageClients`` does: ``table(name)``, ``queues`` and ``blobs``."""

    def __init__(self) -> None:
        self.tables: dict[str, MemTable] = {}
        self.queue_clients: dict[str, MemQueue] = {}
        self.containers: dict[str, MemContainer] = {}
        self.queues = _Queues(self)
        self.blobs = _Blobs(self)

    def table(self, name: str) -> MemTable:
        return self.tables.setdefault(name, MemTable(name))

    def queue(self, name: str) -> MemQueue:
        return self.queue_clients.setdefault(name, MemQueue(name))

    def container(self, name: str) -> MemContainer:
        return self.containers.setdefault(name, MemContainer(name))

    def calls(self) -> int:
        """Table calls so far (queue and blob calls are counted by their lists)."""
        return sum(len(table.calls) for table in self.tables.values())

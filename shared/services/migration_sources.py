"""The connectors a migration can use, opened for one tenant's job.

Sources: ``affinity`` (a connection) and ``dataset`` (an uploaded CSV/JSONL file, so a migration can
start from a file). Targets: ``attio``. Adding a system is one entry here and one connector in
``shared.providers``; ``source_system``/``target_system`` are checked against these names.

Also the built-in defaults: which objects a source moves, how persons and organizations map
onto Attio's people and companies, and which unique attribute each target object matches on.
"""

from __future__ import annotations

import io
from typing import Any

from shared.jobs.evaluation.datasets import iter_rows, row_id
from shared.models.migrations import ObjectMapping, RelationMapping
from shared.providers.affinity import AffinitySource, list_id_of
from shared.providers.attio import AttioTarget
from shared.providers.connectors import Source, SourcePage, SourceRecord, Target
from shared.providers.remote_api import RetryPolicy
from shared.services.connections import OpenConnection
from shared.storage.datasets import DatasetRecord, DatasetRepository

SOURCE_SYSTEMS = ("affinity", "dataset")
TARGET_SYSTEMS = ("attio",)
CONNECTION_SYSTEM = {"affinity": "affinity", "attio": "attio"}
"""The connection system each connector needs (a dataset needs none)."""

SOURCE_OBJECTS: dict[str, tuple[str, ...]] = {
    "affinity": ("persons", "organizations", "opportunities", "notes", "list_{list_id}"),
    "dataset": ("rows",),
}
"""The objects each source pages, as ``details.known`` shows them; ``list_{list_id}`` stands for the
entries of any one Affinity list (``list_42``)."""
NOTES_TARGET = "notes"
"""Attio's notes: not an object with records, each note hangs off one parent record."""
DEFAULT_OBJECTS: dict[str, list[str]] = {"affinity": ["organizations", "persons"], "dataset": ["rows"]}
DEFAULT_MAPPING: dict[str, dict[str, ObjectMapping]] = {
    "affinity": {
        "organizations": ObjectMapping(target="companies", fields={"name": "name", "domains": "domains"}),
        "persons": ObjectMapping(
            target="people",
            fields={"first_name": "name.first_name", "last_name": "name.last_name", "emails": "email_addresses"},
            relations={"organization_ids": RelationMapping(object="organizations", attribute="company")},
        ),
        "opportunities": ObjectMapping(target="deals", fields={"name": "name", "affinity_id": "affinity_id"}),
        # A note goes on the record written for the first of its relations that has an id: the person
        # it is directly on, else its organization (a mapping can add opportunity_ids -> opportunities).
        "notes": ObjectMapping(
            target=NOTES_TARGET,
            fields={"title": "title", "content": "content", "format": "format", "created_at": "created_at"},
            relations={
                "associated_person_ids": RelationMapping(object="persons", attribute="parent"),
                "organization_ids": RelationMapping(object="organizations", attribute="parent"),
            },
        ),
    },
    "dataset": {},
}
DEFAULT_MATCHING = {
    "people": "email_addresses",
    "companies": "domains",
    "deals": "affinity_id",
    NOTES_TARGET: "content",
}
"""Attio's deals have no unique attribute of their own: the workspace adds a unique text attribute
``affinity_id`` to deals (or the job names another in ``matching_attribute``). Notes are not
asserted: ``content`` is what a note cannot go without, and a note is found again by its
parent, title and text (``AttioTarget.add_note``)."""


def has_object(system: str, object_name: str) -> bool:
    """Whether the source pages this object (for Affinity, ``list_{list_id}`` names any list's entries)."""
    if system == "affinity" and list_id_of(object_name) is not None:
        return True
    return object_name in SOURCE_OBJECTS.get(system, ())


def open_source(
    system: str,
    opened: OpenConnection | None,
    dataset: DatasetRecord | None,
    datasets: DatasetRepository,
    policy: RetryPolicy,
) -> Source:
    if system == "dataset":
        assert dataset is not None
        return DatasetSource(dataset, datasets)
    assert opened is not None
    return AffinitySource(opened.endpoint, opened.api_key, opened.budget, policy)


def open_target(system: str, opened: OpenConnection, policy: RetryPolicy) -> Target:
    return AttioTarget(opened.endpoint, opened.api_key, opened.budget, policy)


class DatasetSource:
    """An uploaded dataset's rows as records of object ``rows``; cursors are row offsets.

    A page downloads only the byte range from the chunk its first row is in (offsets recorded at
    upload), as bulk evaluation does. A row's id is its ``id`` column, else its ordinal. A row that
    cannot be parsed comes out with only ``$error``: it fails when mapped, its batch goes on.
    """

    objects: tuple[str, ...] = ("rows",)

    def __init__(self, record: DatasetRecord, datasets: DatasetRepository) -> None:
        self._record = record
        self._datasets = datasets

    def page_size(self, object_name: str) -> int:
        return 1000

    def count(self, object_name: str) -> int | None:
        return self._record.dataset.row_count

    def page(self, object_name: str, cursor: str | None, limit: int) -> SourcePage:
        record = self._record
        start = int(cursor or 0)
        total = record.dataset.row_count
        if start >= total:
            return SourcePage([], None)
        step = max(1, record.chunk_rows)
        chunk = start // step
        if chunk < len(record.offsets):
            offset, skip = record.offsets[chunk], start - chunk * step
        else:
            offset, skip = record.offsets[0] if record.offsets else 0, start
        last_chunk = (start + limit) // step + 1
        end = record.offsets[last_chunk] if last_chunk < len(record.offsets) else record.dataset.size_bytes
        data = self._datasets.read_range(record.blob, offset, end)
        if record.dataset.format == "csv":
            data = record.header.encode() + data
        records: list[SourceRecord] = []
        for local_index, row in iter_rows(io.BytesIO(data), record.dataset.format):
            if local_index <= skip:
                continue
            if len(records) >= limit:
                break
            ordinal = start + len(records) + 1
            if isinstance(row, str):
                records.append(SourceRecord(str(ordinal), {"$error": row}))
            else:
                records.append(SourceRecord(row_id(ordinal, row), dict(row)))
        following = start + len(records)
        return SourcePage(records, str(following) if following < total and records else None)

    def get(self, object_name: str, record_id: str) -> SourceRecord | None:
        return None


def first_value(value: Any) -> Any:
    """The value asserts match on: the first of a list."""
    if isinstance(value, list):
        return value[0] if value else None
    return value

"""The two halves of a migration: a source that pages records, a target that asserts them.

A connector knows one outside system's paths, paging and record shapes, and nothing of jobs,
batches or storage. A source pages the records of one object from an opaque cursor; a target
asserts one mapped record (create it, or update the one whose matching attribute already has
the value) and can look records up by that attribute (for ``dry_run``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class SourceRecord:
    """One record as the source has it: its id and its fields, flattened to plain JSON values."""

    id: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class SourcePage:
    records: list[SourceRecord]
    next_cursor: str | None
    """Where the next page starts; None after the last page."""


@dataclass(frozen=True)
class Written:
    record_id: str


@dataclass(frozen=True)
class Probe:
    """A connection's live check: ``ok`` and a reason code when not."""

    ok: bool
    reason: str | None = None
    message: str | None = None


class Source(Protocol):
    objects: tuple[str, ...]

    def page_size(self, object_name: str) -> int:
        """The largest page the API serves for ``object_name``."""
        ...

    def page(self, object_name: str, cursor: str | None, limit: int) -> SourcePage: ...

    def get(self, object_name: str, record_id: str) -> SourceRecord | None:
        """One record by id (to write a related record first); None if the source has none."""
        ...

    def count(self, object_name: str) -> int | None:
        """How many records there are, when the API can say without paging; else None."""
        ...


class Target(Protocol):
    def assert_record(self, object_name: str, matching_attribute: str, values: dict[str, Any]) -> Written:
        """Create, or update the record whose ``matching_attribute`` matches; ``RemoteRejected`` if refused."""
        ...

    def find(self, object_name: str, matching_attribute: str, values: list[Any]) -> dict[str, str]:
        """The record ids of the records that have any of ``values`` in ``matching_attribute``, by value."""
        ...

    def probe(self) -> Probe:
        """One cheap authenticated call: does the target take these credentials?"""
        ...

    def add_note(self, parent: RecordRef, values: dict[str, Any]) -> Written:
        """A note on the record ``parent`` (``title``, ``content``, ``format``, ``created_at``): the one an
        earlier run wrote if it is there, else a new one; ``RemoteRejected`` if refused."""
        ...


@dataclass
class MissingField(Exception):
    """A record lacks a field the target requires (its matching attribute): it fails, its batch goes on."""

    field_name: str
    details: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"missing required field {self.field_name}"


@dataclass(frozen=True)
class RecordRef:
    """A mapped value that points at a record written in the target (a person's company)."""

    object_name: str
    record_id: str

"""Cutting a source into batches and reading a batch back, over a source whose pages do not fit the batches."""

from __future__ import annotations

import pytest

from shared.errors import NotFound, ServiceUnavailable
from shared.models.migrations import MigrationConfig, ObjectMapping
from shared.providers.connectors import MissingField, SourcePage, SourceRecord
from shared.providers.remote_api import RemoteRejected, RemoteUnavailable
from shared.services.migration_jobs import MigrationJobs, _read, map_record, permanent


class PagedSource:
    """``count`` records served ``size`` at a time; cursors are opaque strings."""

    objects = ("things",)

    def __init__(self, count: int, size: int, knows_count: bool = False) -> None:
        self.records = [SourceRecord(f"id{n}", {"n": n}) for n in range(count)]
        self.size = size
        self.knows_count = knows_count
        self.pages_read = 0

    def page_size(self, object_name: str) -> int:
        return self.size

    def page(self, object_name: str, cursor: str | None, limit: int) -> SourcePage:
        self.pages_read += 1
        start = int(cursor.removeprefix("at-")) if cursor else 0
        chunk = self.records[start : start + min(limit, self.size)]
        following = start + len(chunk)
        return SourcePage(chunk, f"at-{following}" if following < len(self.records) else None)

    def get(self, object_name: str, record_id: str) -> SourceRecord | None:
        return None

    def count(self, object_name: str) -> int | None:
        return len(self.records) if self.knows_count else None


@pytest.mark.parametrize(
    ("count", "size", "batch"), [(23, 7, 10), (100, 100, 100), (250, 100, 100), (5, 7, 100), (0, 5, 100)]
)
def test_batches_cover_every_record_once(count: int, size: int, batch: int) -> None:
    source = PagedSource(count, size)
    plans = MigrationJobs._plan_object(source, "things", batch)
    assert sum(plan["rows"] for plan in plans) == count
    read = [record.id for plan in plans for page in _read(source, "things", plan) for record in page]
    assert read == [f"id{n}" for n in range(count)]
    assert all(plan["rows"] <= batch for plan in plans)


def test_a_batch_that_starts_inside_a_page_skips_into_it() -> None:
    plans = MigrationJobs._plan_object(PagedSource(23, 7), "things", 10)
    assert [(plan["cursor"], plan["skip"], plan["rows"]) for plan in plans] == [
        (None, 0, 10),
        ("at-7", 3, 10),
        ("at-14", 6, 3),
    ]


def test_a_source_that_knows_its_count_is_cut_without_reading() -> None:
    source = PagedSource(2500, 1000, knows_count=True)
    plans = MigrationJobs._plan_object(source, "things", 1000)
    assert source.pages_read == 0
    assert [(plan["cursor"], plan["rows"]) for plan in plans] == [("0", 1000), ("1000", 1000), ("2000", 500)]


def test_mapping_keeps_given_values_and_needs_the_matching_one() -> None:
    mapping = ObjectMapping(target="people", fields={"first": "name.first_name", "mails": "email_addresses", "x": "y"})
    record = SourceRecord("7", {"first": "Ann", "mails": ["ann@x.io"], "x": ""})
    assert map_record(record, mapping, "email_addresses") == {"name.first_name": "Ann", "email_addresses": ["ann@x.io"]}
    with pytest.raises(MissingField) as missing:
        map_record(SourceRecord("8", {"first": "Bo", "mails": []}), mapping, "email_addresses")
    assert missing.value.field_name == "email_addresses"


def test_inline_keys_never_show_in_a_dump_of_the_configuration() -> None:
    config = MigrationConfig.model_validate(
        {
            "source_system": "affinity",
            "target_system": "attio",
            "source_config": {"api_key": "key-that-must-not-show", "base_url": "https://api.affinity.co"},
            "target_config": {"connection_id": "c1"},
        }
    )
    assert "key-that-must-not-show" not in config.model_dump_json()
    assert config.batch_size == 1000 and config.retry_policy.max_retries == 3


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (RemoteRejected(401, "Unauthorized", "Affinity"), "REMOTE_UNAUTHORIZED"),
        (RemoteRejected(403, "Missing scope", "Attio"), "REMOTE_FORBIDDEN"),
        (RemoteRejected(404, "List not found", "Affinity"), "REMOTE_NOT_FOUND"),
        (RemoteRejected(422, "invalid page token", "Affinity"), "REMOTE_REJECTED"),
        (NotFound("No connection of yours has this id.", code="CONNECTION_NOT_FOUND"), "CONNECTION_NOT_FOUND"),
        (RemoteRejected(408, "Request timeout", "Attio"), None),
        (RemoteRejected(409, "Conflict", "Attio"), None),
        (RemoteUnavailable("The Attio API failed 4 times in a row.", code="REMOTE_UNAVAILABLE"), None),
        (ServiceUnavailable("storage is down"), None),
        (RuntimeError("a bug"), None),
    ],
)
def test_refusals_that_retrying_cannot_mend_are_permanent_and_outages_are_not(
    error: Exception, code: str | None
) -> None:
    failure = permanent(error)
    assert (failure.code if failure is not None else None) == code
    if isinstance(error, RemoteRejected) and failure is not None:
        assert failure.details == {"status": error.status, "api": error.api} and error.reason in failure.message

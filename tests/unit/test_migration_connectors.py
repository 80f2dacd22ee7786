"""The migration connectors against the local Affinity and Attio fakes (real HTTP on 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from shared.providers.affinity import AffinitySource
from shared.providers.attio import AttioTarget, attio_values
from shared.providers.connectors import RecordRef
from shared.providers.remote_api import Endpoint, NoBudget, RemoteRejected, RemoteUnavailable, RetryPolicy
from shared.providers.retry_timing import backoff_seconds, retry_after_seconds
from tests.support.crm_fakes import FakeAffinity, FakeAttio

AFFINITY_KEY = "aff-test-key-0001"
ATTIO_TOKEN = "attio-test-token-0001"


def endpoint(url: str) -> Endpoint:
    host, port = url.removeprefix("http://").split(":")
    return Endpoint("http", host, int(port), host)


@pytest.fixture
def affinity() -> Iterator[FakeAffinity]:
    fake = FakeAffinity(AFFINITY_KEY, limit_per_window=None)
    persons = [
        {
            "id": 10 + n,
            "type": 0,
            "first_name": f"P{n}",
            "last_name": "L",
            "primary_email": f"p{n}@x.io",
            "emails": [f"p{n}@x.io"],
            "organization_ids": [7],
        }
        for n in range(7)
    ]
    fake.load(persons, [{"id": 7, "name": "Seven", "domain": "seven.io", "domains": ["seven.io"]}])
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def attio() -> Iterator[FakeAttio]:
    fake = FakeAttio(ATTIO_TOKEN, reads_per_second=None, writes_per_second=None).start()
    assert isinstance(fake, FakeAttio)
    yield fake
    fake.stop()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds("Tue, 01 Dec 2026 10:00:03 GMT", now) == 3.0
    assert retry_after_seconds("Tue, 01 Dec 2026 09:59:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_backoff_grows_is_capped_and_jittered() -> None:
    import random

    rng = random.Random(5)
    waits = [backoff_seconds(attempt, 1.0, 8.0, rng) for attempt in range(6)]
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0 and 2.0 <= waits[2] <= 4.0
    assert all(4.0 <= wait <= 8.0 for wait in waits[4:])
    assert len({round(w, 6) for w in waits[4:]}) == 2  # jittered: the capped waits differ


def test_affinity_pages_persons_on_v1_and_companies_on_v2(affinity: FakeAffinity) -> None:
    source = AffinitySource(endpoint(affinity.base_url), AFFINITY_KEY, NoBudget(), RetryPolicy())
    first = source.page("persons", None, 3)
    assert [r.id for r in first.records] == ["10", "11", "12"] and first.next_cursor
    second = source.page("persons", first.next_cursor, 3)
    third = source.page("persons", second.next_cursor, 3)
    assert [r.id for r in third.records] == ["16"] and third.next_cursor is None
    assert first.records[0].fields["organization_ids"] == ["7"]
    orgs = source.page("organizations", None, 100)
    assert orgs.records[0].fields["domains"] == ["seven.io"] and orgs.next_cursor is None
    assert source.get("organizations", "7") is not None and source.get("persons", "999") is None
    assert {"GET /persons", "GET /v2/companies"} <= set(affinity.seen_paths)
    assert affinity.bad_requests == 0


def test_affinity_probe_says_when_the_key_is_wrong(affinity: FakeAffinity) -> None:
    assert AffinitySource(endpoint(affinity.base_url), AFFINITY_KEY, NoBudget(), RetryPolicy()).probe().ok
    wrong = AffinitySource(endpoint(affinity.base_url), "nope", NoBudget(), RetryPolicy()).probe()
    assert (wrong.ok, wrong.reason) == (False, "UNAUTHORIZED")


def test_attio_assert_creates_then_updates_the_same_record(attio: FakeAttio) -> None:
    target = AttioTarget(endpoint(attio.base_url), ATTIO_TOKEN, NoBudget(), RetryPolicy())
    company = target.assert_record("companies", "domains", {"name": "Acme", "domains": ["acme.io"]})
    values = {
        "name.first_name": "Ann",
        "name.last_name": "Lee",
        "email_addresses": ["ann@acme.io"],
        "company": RecordRef("companies", company.record_id),
    }
    first = target.assert_record("people", "email_addresses", values)
    again = target.assert_record("people", "email_addresses", {**values, "name.first_name": "Anne"})
    assert first.record_id == again.record_id
    assert (attio.created, attio.changed) == (2, 1)
    stored = attio.records["people"][first.record_id]["values"]
    assert stored["name"] == [{"first_name": "Anne", "last_name": "Lee", "full_name": "Anne Lee"}]
    assert stored["company"] == [{"target_object": "companies", "target_record_id": company.record_id}]
    assert target.find("people", "email_addresses", ["ann@acme.io", "nobody@acme.io"]) == {
        "ann@acme.io": first.record_id
    }


def test_attio_refusals_carry_the_reason(attio: FakeAttio) -> None:
    target = AttioTarget(endpoint(attio.base_url), ATTIO_TOKEN, NoBudget(), RetryPolicy())
    with pytest.raises(RemoteRejected) as missing:
        target.assert_record("people", "email_addresses", {"name.first_name": "No", "name.last_name": "Mail"})
    assert missing.value.status == 400 and "matching attribute" in missing.value.reason
    with pytest.raises(RemoteRejected) as not_unique:
        target.assert_record("people", "name", {"email_addresses": ["a@b.io"]})
    assert "must be unique" in not_unique.value.reason
    assert attio.created == 0


def test_a_429_storm_waits_for_retry_after_in_both_forms(affinity: FakeAffinity, attio: FakeAttio) -> None:
    sleeps = Sleeps()
    source = AffinitySource(endpoint(affinity.base_url), AFFINITY_KEY, NoBudget(), RetryPolicy(max_retries=0))
    source.api._sleep = sleeps
    affinity.storm(3, retry_after=2)
    assert len(source.page("persons", None, 5).records) == 5
    assert sleeps == [2.0, 2.0, 2.0] and source.api.throttled == 3  # seconds form, not counted as failures

    dated = Sleeps()
    target = AttioTarget(endpoint(attio.base_url), ATTIO_TOKEN, NoBudget(), RetryPolicy(max_retries=0))
    target.api._sleep = dated
    attio.storm(2, retry_after=3)
    target.assert_record("companies", "domains", {"name": "Acme", "domains": ["acme.io"]})
    assert len(dated) == 2 and all(2.0 <= wait <= 4.0 for wait in dated)  # an HTTP date, whole seconds


def test_5xx_bursts_retry_with_backoff_then_give_up(attio: FakeAttio) -> None:
    sleeps = Sleeps()
    policy = RetryPolicy(max_retries=3, backoff_seconds=0.5, max_backoff_seconds=10)
    target = AttioTarget(endpoint(attio.base_url), ATTIO_TOKEN, NoBudget(), policy)
    target.api._sleep = sleeps
    attio.fail_next(3, 503)
    target.assert_record("companies", "domains", {"name": "Acme", "domains": ["acme.io"]})
    assert len(sleeps) == 3 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0 and 1.0 <= sleeps[2] <= 2.0
    attio.fail_next(4, 502)
    with pytest.raises(RemoteUnavailable) as gave_up:
        target.assert_record("companies", "domains", {"name": "Beta", "domains": ["beta.io"]})
    assert gave_up.value.details == {"status": 502}
    assert attio.created == 1


def test_attio_values_join_names_and_expand_references() -> None:
    values = attio_values(
        {"name.first_name": "A", "name.last_name": "B", "company": RecordRef("companies", "r1"), "x": 1}
    )
    assert values == {
        "name": [{"first_name": "A", "last_name": "B", "full_name": "A B"}],
        "company": [{"target_object": "companies", "target_record_id": "r1"}],
        "x": 1,
    }


def test_affinity_pages_notes_on_v1_and_the_fake_filters_them_as_affinity_does(affinity: FakeAffinity) -> None:
    affinity.load_notes(
        [
            {"id": 1, "content": "First line\nsecond", "associated_person_ids": [10], "organization_ids": [7]},
            {
                "id": 2,
                "type": 2,
                "content": "<p>" + "y" * 100 + "</p><div>A &lt;b&gt; tag<br/>x</div>",
                "opportunity_ids": [3],
            },
            {"id": 3, "content": "   ", "interaction_person_ids": [11], "created_at": "2025-01-02T00:00:00Z"},
        ]
    )
    source = AffinitySource(endpoint(affinity.base_url), AFFINITY_KEY, NoBudget(), RetryPolicy())
    first = source.page("notes", None, 2)
    assert [r.id for r in first.records] == ["1", "2"] and first.next_cursor
    last = source.page("notes", first.next_cursor, 2)
    assert [r.id for r in last.records] == ["3"] and last.next_cursor is None
    plain, html_note, blank = first.records[0].fields, first.records[1].fields, last.records[0].fields
    assert (plain["title"], plain["content"], plain["format"]) == ("First line", "First line\nsecond", "plaintext")
    assert plain["associated_person_ids"] == ["10"] and plain["organization_ids"] == ["7"]
    assert html_note["content"] == "y" * 100 + "\nA <b> tag\nx" and html_note["opportunity_ids"] == ["3"]
    assert len(html_note["title"]) == 80 and html_note["title"].endswith("…")
    assert (blank["content"], blank["title"]) == ("", "Affinity note 3") and blank["person_ids"] == ["11"]
    assert source.get("notes", "2") is not None and source.get("notes", "99") is None
    # The fake answers the v1 filters one at a time, as the API documents them.
    by_person = AffinitySource(endpoint(affinity.base_url), AFFINITY_KEY, NoBudget(), RetryPolicy()).api.call(
        "GET", "/notes", kind="read", query={"person_id": 11}
    )
    assert [note["id"] for note in by_person.body["notes"]] == [3]
    with pytest.raises(RemoteRejected) as refused:
        source.api.call("GET", "/notes", kind="read", query={"person_id": 11, "organization_id": 7})
    assert refused.value.status == 422


def test_attio_notes_are_created_on_their_parent_once(attio: FakeAttio) -> None:
    target = AttioTarget(endpoint(attio.base_url), ATTIO_TOKEN, NoBudget(), RetryPolicy())
    company = target.assert_record("companies", "domains", {"name": "Seven", "domains": ["seven.io"]}).record_id
    parent = RecordRef("companies", company)
    values = {"title": "Intro", "content": "Met them", "format": "plaintext", "created_at": "2025-01-01T00:00:00Z"}
    first = target.add_note(parent, values)
    again = target.add_note(parent, values)
    other = target.add_note(parent, {**values, "content": "Met them again"})
    assert first == again and other != first and len(attio.notes) == 2
    assert attio.notes[first.record_id]["created_at"] == "2025-01-01T00:00:00Z"
    with pytest.raises(RemoteRejected) as refused:
        target.add_note(RecordRef("companies", "00000000-0000-0000-0000-000000000000"), values)
    assert refused.value.status == 404
    assert attio.bad_requests == 0

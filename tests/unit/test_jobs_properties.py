"""Properties of what the jobs API builds from a caller's input (hypothesis).

- Idempotency fingerprints: bodies that differ only by spelled-out defaults, key order, spaces
  around the name or ``"description": null`` are one request; any change to a validated value
  is another.
- CSV results: no text field starts with a formula trigger unless it is the quote-prefixed form,
  every other text comes back unchanged from a CSV reader, and rows stay rows (no line break in
  a caller's text starts a new one).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.jobs.idempotency import fingerprint
from shared.jobs.results import FORMULA_TRIGGERS, csv_bytes, neutralise
from shared.jobs.store import created_at_of, new_job_id, time_prefix
from shared.jobs.types.echo import EchoConfig
from shared.models.jobs import JobCreate

PROPERTY = settings(max_examples=300, deadline=None)

ECHO_DEFAULTS: dict[str, Any] = EchoConfig().model_dump()
_int_lists = st.lists(st.integers(0, 10_000), max_size=5)
ECHO_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "items": st.integers(0, 1_000_000),
    "batch_size": st.integers(1, 10_000),
    "fail_items": _int_lists,
    "raise_batches": _int_lists,
    "raise_until_round": st.integers(0, 1_000_000),
    "sleep_ms": st.integers(0, 60_000),
}
configs = st.fixed_dictionaries({}, optional=ECHO_VALUES)
names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20).filter(lambda name: name.strip() != "")


def _fingerprint(body: dict[str, Any]) -> str:
    request = JobCreate.model_validate(body)
    return fingerprint(request, EchoConfig.model_validate(request.configuration))


@PROPERTY
@given(config=configs, name=names, description=st.booleans(), data=st.data())
def test_fingerprints_ignore_defaults_key_order_and_null_description(
    config: dict[str, Any], name: str, description: bool, data: st.DataObject
) -> None:
    plain = {"type": "diagnostics.echo", "name": name, "configuration": config}
    full = {**ECHO_DEFAULTS, **config}
    order = data.draw(st.permutations(sorted(full)), label="key order")
    spelled_out: dict[str, Any] = {"configuration": {key: full[key] for key in order}, "name": f" {name} "}
    spelled_out["type"] = "diagnostics.echo"
    if description:
        spelled_out["description"] = None
    assert _fingerprint(plain) == _fingerprint(spelled_out)


@PROPERTY
@given(config=configs, name=names, field=st.sampled_from(sorted(ECHO_VALUES)), data=st.data())
def test_fingerprints_differ_when_a_validated_value_differs(
    config: dict[str, Any], name: str, field: str, data: st.DataObject
) -> None:
    current = {**ECHO_DEFAULTS, **config}[field]
    other = data.draw(ECHO_VALUES[field].filter(lambda value: value != current), label=field)
    body = {"type": "diagnostics.echo", "name": name, "configuration": config}
    changed = {**body, "configuration": {**config, field: other}}
    assert _fingerprint(body) != _fingerprint(changed)
    assert _fingerprint(body) != _fingerprint({**body, "name": name.strip() + "x"})
    assert _fingerprint(body) != _fingerprint({**body, "description": name})


# ----------------------------------------------------------------------------- CSV neutraliser

texts = st.text(st.characters(codec="utf-8"), max_size=30)
triggered = st.tuples(st.sampled_from(FORMULA_TRIGGERS), texts).map("".join)
cells = st.one_of(texts, triggered, st.none(), st.integers(), st.floats(allow_nan=False, allow_infinity=False))
COLUMNS = ("id", "score", "message")


@PROPERTY
@given(rows=st.lists(st.fixed_dictionaries({column: cells for column in COLUMNS}), max_size=8))
def test_csv_fields_never_start_a_formula_and_text_round_trips(rows: list[dict[str, Any]]) -> None:
    text = csv_bytes(COLUMNS, rows, header=True).decode()
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == list(COLUMNS)
    assert len(parsed) == len(rows) + 1, "a line break in a caller's text never starts a new row"
    for row, fields in zip(rows, parsed[1:], strict=True):
        for column, field in zip(COLUMNS, fields, strict=True):
            value = row[column]
            if isinstance(value, str):
                if value.startswith(FORMULA_TRIGGERS):
                    assert field == "'" + value
                else:
                    assert field == value
                assert not field.startswith(FORMULA_TRIGGERS)
            else:
                assert field == ("" if value is None else str(value)), "the app's own numbers are left as they are"


@PROPERTY
@given(value=texts)
def test_neutralise_changes_only_triggered_text(value: str) -> None:
    result = neutralise(value)
    assert not result.startswith(FORMULA_TRIGGERS)
    assert result == (("'" + value) if value[:1] in FORMULA_TRIGGERS and value else value)


# ----------------------------------------------------------------------------- job ids and time

job_times = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC))


@PROPERTY
@given(first=job_times, second=job_times)
def test_job_ids_encode_their_millisecond_and_sort_newest_first(first: datetime, second: datetime) -> None:
    truncated = [at.replace(microsecond=at.microsecond // 1000 * 1000) for at in (first, second)]
    ids = [new_job_id(at) for at in (first, second)]
    assert [created_at_of(job_id) for job_id in ids] == truncated
    if truncated[0] != truncated[1]:
        assert (ids[0] < ids[1]) == (truncated[0] > truncated[1])


def test_times_before_1970_have_no_job_id() -> None:
    with pytest.raises(ValueError):
        time_prefix(datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC))

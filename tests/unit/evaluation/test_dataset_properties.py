"""Properties of the dataset readers over untrusted bytes (hypothesis).

- Any bytes, read as CSV or JSON Lines, give rows or malformed-row messages, or the module's
  declared ``ValidationFailed``: never another exception (a 500 or a crashed batch).
- The byte offsets recorded at upload let each batch read exactly its own rows: reading every
  chunk as a ``bulk_evaluation`` batch does (header + its byte range, skipping when no offset
  was kept) gives back the whole file's rows, in order.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from shared.errors import ValidationFailed
from shared.jobs.evaluation.datasets import MAX_JSON_DEPTH, DatasetFormat, inspect_dataset, iter_rows
from shared.services.datasets import chunk_dataset

FORMATS: tuple[DatasetFormat, ...] = ("csv", "jsonl")
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Bytes that look like datasets often enough to reach the row readers, not only the decoder.
_pieces = st.sampled_from(
    [
        b",",
        b"\n",
        b"\r\n",
        b"\r",
        b'"',
        b"{",
        b"}",
        b"[",
        b"]",
        b":",
        b"\\",
        b"\x00",
        b"\xef\xbb\xbf",
        b"\xff",
        b"response,expected\n",
        b'{"response":"a","expected":"b"}\n',
        b"   ",
        b"\xc3\xa9",
        b"\xe2\x82",
    ]
)
untrusted_bytes = st.one_of(st.binary(max_size=400), st.lists(st.one_of(_pieces, st.binary(max_size=8))).map(b"".join))


@PROPERTY
@given(data=untrusted_bytes, fmt=st.sampled_from(FORMATS))
def test_readers_raise_only_validation_failed(data: bytes, fmt: DatasetFormat) -> None:
    try:
        rows = list(iter_rows(io.BytesIO(data), fmt))
    except ValidationFailed:
        return
    assert [index for index, _ in rows] == list(range(1, len(rows) + 1)), "malformed rows are counted, not skipped"
    for _, row in rows:
        assert isinstance(row, (dict, str))
    try:
        info = inspect_dataset(io.BytesIO(data), fmt)
    except ValidationFailed:
        return
    assert info.row_count == len(rows) and info.malformed_rows == sum(isinstance(r, str) for _, r in rows)


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_a_deeply_nested_json_line_is_one_malformed_row(depth: int) -> None:
    deep = ('{"response":"a","expected":"b","x":' + "[" * depth + "]" * depth + "}").encode()
    data = b'{"response":"a","expected":"b"}\n' + deep + b"\n" + b"[" * depth + b"\n"
    rows = list(iter_rows(io.BytesIO(data), "jsonl"))
    assert isinstance(rows[0][1], dict)
    assert [row for _, row in rows[1:]] == [
        f"row {n} (line {n}): invalid JSON: nested deeper than {MAX_JSON_DEPTH} levels" for n in (2, 3)
    ]
    info = inspect_dataset(io.BytesIO(data), "jsonl")
    assert (info.row_count, info.malformed_rows) == (3, 2)
    fine = '{"response":"a","expected":"b","x":' + "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1) + "}"
    assert isinstance(next(iter_rows([fine.encode()], "jsonl"))[1], dict), "nesting up to the limit parses"
    bracket_text = json.dumps({"response": "[" * 5000, "expected": "{" * 5000})
    assert next(iter_rows([bracket_text.encode()], "jsonl"))[1] == json.loads(bracket_text), "brackets in strings"


# ----------------------------------------------------------------------------- offsets per chunk

_cell = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
_ending = st.sampled_from(["\n", "\r\n"])


@st.composite
def csv_datasets(draw: st.DrawFn) -> bytes:
    """CSV files as exports produce them: quoted fields with commas, quotes and line breaks, blank
    and all-empty padding records, BOMs, CRLF or LF, and the odd broken line."""
    ending = draw(_ending)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=ending)
    writer.writerow(["id", "response", "expected"])
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["row", "row", "row", "blank", "padding", "short", "broken"]))
        if kind == "row":
            writer.writerow([draw(_cell), draw(_cell), draw(_cell)])
        elif kind == "blank":
            out.write(ending)
        elif kind == "padding":
            out.write(",," + ending)
        elif kind == "short":
            writer.writerow([draw(_cell)])
        else:
            out.write('a,"b"c,d' + ending)
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + out.getvalue()).encode()


@st.composite
def jsonl_datasets(draw: st.DrawFn) -> bytes:
    ending = draw(_ending)
    lines = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["row", "row", "row", "blank", "junk", "array", "deep"]))
        if kind == "row":
            lines.append(json.dumps({"id": draw(_cell), "response": draw(_cell), "expected": draw(_cell)}))
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", "  ", "\t"])))
        elif kind == "junk":
            lines.append(draw(_cell.filter(lambda text: "\n" not in text and "\r" not in text)))
        elif kind == "array":
            lines.append("[1, 2]")
        else:
            lines.append("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
    return ending.join(lines).encode() + (ending.encode() if draw(st.booleans()) else b"")


def _comparable(row: dict[str, Any] | str) -> Any:
    """A malformed row's message names its line in the file read, which differs per chunk."""
    return row if isinstance(row, dict) else "malformed"


def _rows_as_batches_read_them(data: bytes, fmt: DatasetFormat, chunk_rows: int) -> list[Any]:
    """What every batch of a bulk_evaluation job reads (see ``bulk_evaluation._plan`` and ``_run``)."""
    info = inspect_dataset(io.BytesIO(data), fmt)
    chunking = chunk_dataset(data, fmt, info.row_count, chunk_rows)
    offsets, step = chunking.offsets, chunking.chunk_rows
    rows: list[Any] = []
    for index, start_row in enumerate(range(0, info.row_count, step)):
        offset, skip = (offsets[index], 0) if index < len(offsets) else (offsets[0], start_row)
        end = offsets[index + 1] if index + 1 < len(offsets) else len(data)
        chunk = (chunking.header.encode() if fmt == "csv" else b"") + data[offset:end]
        wanted = min(step, info.row_count - start_row)
        batch = [row for local, row in iter_rows(io.BytesIO(chunk), fmt) if local > skip][:wanted]
        assert len(batch) == wanted, (index, offset, end)
        rows += [_comparable(row) for row in batch]
    return rows


@PROPERTY
@given(
    data=st.one_of(csv_datasets().map(lambda d: (d, "csv")), jsonl_datasets().map(lambda d: (d, "jsonl"))),
    chunk_rows=st.integers(1, 7),
)
# A lone CR ends a line for the reader but not for a split at LF: the second batch began mid-record.
@example(data=(b'id,response,expected\n""\n,,\n,,\n0\r,,"\n0"\n', "csv"), chunk_rows=1)
@example(data=(b'{"id": "a"}\r{"id": "b"}\n{"id": "c"}\n', "jsonl"), chunk_rows=1)
def test_chunk_offsets_give_each_batch_exactly_its_rows(data: tuple[bytes, DatasetFormat], chunk_rows: int) -> None:
    body, fmt = data
    try:
        whole = [_comparable(row) for _, row in iter_rows(io.BytesIO(body), fmt)]
        inspect_dataset(io.BytesIO(body), fmt)
    except ValidationFailed:
        assume(False)  # refused at upload: never chunked
        return
    assert _rows_as_batches_read_them(body, fmt, chunk_rows) == whole

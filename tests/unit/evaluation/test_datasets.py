"""Dataset format detection, streaming CSV/JSONL parsing and upload inspection."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from shared.api.errors import status_of
from shared.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from shared.jobs.evaluation.datasets import (
    MalformedRow,
    detect_format,
    inspect_dataset,
    iter_rows,
    response_and_expected,
    row_id,
)

# ----------------------------------------------------------------------------- detect_format


@pytest.mark.parametrize(
    ("content_type", "filename", "expected"),
    [
        ("text/csv", None, "csv"),
        ("text/csv; charset=utf-8", "data.jsonl", "csv"),  # a specific type wins over the name
        ("application/csv", None, "csv"),
        ("TEXT/CSV", None, "csv"),
        ("application/x-ndjson", None, "jsonl"),
        ("application/jsonl", None, "jsonl"),
        ("application/json-lines", None, "jsonl"),
        ("application/octet-stream", "Data.CSV", "csv"),
        ("application/octet-stream", "rows.jsonl", "jsonl"),
        (None, "C:\\exports\\rows.jsonl", "jsonl"),
        ("", "folder/rows.csv", "csv"),
        ("text/plain", "rows.csv", "csv"),
    ],
)
def test_detect_format(content_type: str | None, filename: str | None, expected: str) -> None:
    assert detect_format(content_type, filename) == expected


@pytest.mark.parametrize(
    ("content_type", "filename"),
    [
        ("application/json", "rows.jsonl"),
        ("application/pdf", "rows.csv"),
        ("application/octet-stream", "rows.xlsx"),
        ("application/octet-stream", None),
        (None, None),
        (None, "csv"),
        ("text/csv; charset=utf-16", "rows.csv"),
    ],
)
def test_detect_format_refuses(content_type: str | None, filename: str | None) -> None:
    with pytest.raises(UnsupportedMediaType) as caught:
        detect_format(content_type, filename)
    assert status_of(caught.value) == 415


# ----------------------------------------------------------------------------- CSV


def _rows(data: bytes, fmt: str) -> list[tuple[int, object]]:
    return list(iter_rows(io.BytesIO(data), fmt))  # type: ignore[arg-type]


def test_csv_rows_with_a_malformed_row_in_the_middle() -> None:
    data = b'id,response,expected\na1,Paris,paris\nonly-two,fields\n,"multi\nline",x\n'
    rows = _rows(data, "csv")
    assert rows[0] == (1, {"id": "a1", "response": "Paris", "expected": "paris"})
    index, message = rows[1]
    assert index == 2 and isinstance(message, str) and "expected 3 fields, found 2" in message
    assert rows[2] == (3, {"id": "", "response": "multi\nline", "expected": "x"})
    assert len(rows) == 3


def test_csv_bom_crlf_blank_lines_and_header_spaces() -> None:
    data = "\ufeff response , expected\r\n\r\nyes,no\r\n,,\r\nà,é\r\n".encode()
    assert _rows(data, "csv") == [(1, {"response": "yes", "expected": "no"}), (2, {"response": "à", "expected": "é"})]


def test_csv_oversized_field_fails_that_row_only() -> None:
    data = b'response,expected\n"' + b"x" * 200_000 + b'",a\nok,ok\n'
    rows = _rows(data, "csv")
    assert isinstance(rows[0][1], str) and "malformed CSV" in rows[0][1]
    assert rows[-1][1] == {"response": "ok", "expected": "ok"}


@pytest.mark.parametrize(
    ("header", "reason"),
    [(b"response,response,expected", "repeats"), (b"response,,expected", "without a name")],
)
def test_csv_bad_header_is_refused(header: bytes, reason: str) -> None:
    with pytest.raises(ValidationFailed, match=reason):
        _rows(header + b"\na,b,c\n", "csv")


def test_non_utf8_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="UTF-8"):
        _rows("response,expected\ncafé,x\n".encode("latin-1"), "csv")


# ----------------------------------------------------------------------------- JSONL


def test_jsonl_rows_with_malformed_lines_in_the_middle() -> None:
    lines = [
        json.dumps({"id": "q1", "response": "a", "expected": "a"}),
        "{not json",
        "",
        "[1, 2]",
        "null",
        json.dumps({"id": 7, "response": "b", "expected": 2}),
    ]
    rows = _rows("\n".join(lines).encode(), "jsonl")
    assert [index for index, _ in rows] == [1, 2, 3, 4, 5]
    assert rows[0][1] == {"id": "q1", "response": "a", "expected": "a"}
    assert isinstance(rows[1][1], str) and "row 2 (line 2): invalid JSON" in rows[1][1]
    assert rows[2][1] == "row 3 (line 4): expected a JSON object, found an array"
    assert rows[3][1] == "row 4 (line 5): expected a JSON object, found null"
    assert rows[4][1] == {"id": 7, "response": "b", "expected": 2}


def test_jsonl_bom_and_crlf() -> None:
    data = b"\xef\xbb\xbf" + b'{"response": "x", "expected": "y"}\r\n{"response": "z", "expected": "w"}\r\n'
    assert [row for _, row in _rows(data, "jsonl")] == [
        {"response": "x", "expected": "y"},
        {"response": "z", "expected": "w"},
    ]


def test_jsonl_over_long_line_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shared.jobs.evaluation.datasets.MAX_LINE_CHARS", 50)
    data = b'{"response": "' + b"x" * 200 + b'", "expected": "x"}\n{"response": "a", "expected": "b"}\n'
    rows = _rows(data, "jsonl")
    assert isinstance(rows[0][1], str) and "longer than 50" in rows[0][1]
    assert rows[1] == (2, {"response": "a", "expected": "b"})


def test_chunked_iterable_input_splitting_characters_and_lines() -> None:
    data = '{"response": "naïve café", "expected": "x"}\n{"response": "ü", "expected": "y"}\n'.encode()
    chunks = [data[i : i + 3] for i in range(0, len(data), 3)] + [b""]
    assert [row for _, row in iter_rows(chunks, "jsonl")] == [
        {"response": "naïve café", "expected": "x"},
        {"response": "ü", "expected": "y"},
    ]


def test_callers_stream_is_not_closed() -> None:
    stream = io.BytesIO(b"response,expected\na,b\n")
    assert len(list(iter_rows(stream, "csv"))) == 1
    assert not stream.closed


def test_max_bytes_raises_payload_too_large() -> None:
    data = b"response,expected\n" + b"a,b\n" * 1000
    with pytest.raises(PayloadTooLarge) as caught:
        list(iter_rows(io.BytesIO(data), "csv", max_bytes=100))
    assert status_of(caught.value) == 413


# ----------------------------------------------------------------------------- row helpers


def test_row_ids() -> None:
    assert row_id(4, {"id": " abc "}) == "abc"
    assert row_id(4, {"id": 12}) == "12"
    assert row_id(4, {"id": ""}) == "4"
    assert row_id(4, {"id": None}) == "4"
    assert row_id(4, {"id": True}) == "4"
    assert row_id(4, {}) == "4"
    assert row_id(4, None) == "4"


def test_response_and_expected() -> None:
    assert response_and_expected({"response": "a", "expected": 42}) == ("a", "42")
    assert response_and_expected({"response": "", "expected": 1.5}) == ("", "1.5")
    with pytest.raises(MalformedRow, match="no 'response'"):
        response_and_expected({"expected": "x"})
    with pytest.raises(MalformedRow, match="'expected' must be text"):
        response_and_expected({"response": "x", "expected": ["x"]})


# ----------------------------------------------------------------------------- inspect_dataset


def test_inspect_csv() -> None:
    data = b"id,prompt,response,expected\n1,p,a,b\n2,p,c\n3,p,e,f\n"
    info = inspect_dataset(io.BytesIO(data), "csv")
    assert info.format == "csv"
    assert info.columns == ["id", "prompt", "response", "expected"]
    assert (info.row_count, info.malformed_rows) == (3, 1)
    assert info.bytes_read == len(data)
    assert "expected 4 fields, found 3" in info.error_samples[0]


def test_inspect_jsonl_collects_columns_in_order() -> None:
    data = b'{"response": "a", "expected": "b"}\n{"id": 2, "response": "a", "expected": "b", "topic": "t"}\n'
    info = inspect_dataset(io.BytesIO(data), "jsonl")
    assert info.columns == ["response", "expected", "id", "topic"]
    assert info.row_count == 2


def test_response_column_is_optional() -> None:
    """Rows without a response are answered by an agent."""
    info = inspect_dataset(io.BytesIO(b"question,expected\nq,a\n"), "csv")  # type: ignore[arg-type]
    assert info.columns == ["question", "expected"] and info.row_count == 1


@pytest.mark.parametrize(
    ("data", "fmt", "missing"),
    [
        (b"question,answer\na,b\n", "csv", ["expected"]),
        (b'{"question": "q", "answer": "a"}\n', "jsonl", ["expected"]),
        (b'{"response": "q"}\n', "jsonl", ["expected"]),
    ],
)
def test_inspect_names_missing_columns(data: bytes, fmt: str, missing: list[str]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        inspect_dataset(io.BytesIO(data), fmt)  # type: ignore[arg-type]
    assert status_of(caught.value) == 422
    assert caught.value.details["missing_columns"] == missing
    for name in missing:
        assert name in caught.value.message


def test_inspect_requires_template_columns() -> None:
    data = b"response,expected\na,b\n"
    with pytest.raises(ValidationFailed) as caught:
        inspect_dataset(io.BytesIO(data), "csv", extra_required_columns={"question"})
    assert caught.value.details["missing_columns"] == ["question"]


def test_inspect_csv_missing_columns_fails_fast() -> None:
    """The header decides: the rest of a big wrong file is not read."""

    def chunks() -> Iterator[bytes]:
        yield b"question,answer\n"
        yield b"a,b\n" * 10
        raise AssertionError("read past the header")

    with pytest.raises(ValidationFailed):
        inspect_dataset(chunks(), "csv")


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        (b"", "csv", "empty"),
        (b"\xef\xbb\xbf\n\n", "csv", "empty"),
        (b"", "jsonl", "empty"),
        (b"\n  \n", "jsonl", "empty"),
        (b"response,expected\n", "csv", "no data rows"),
        (b"response,expected\n" * 2 + b"\n", "csv", None),
        (b"not json\nneither\n", "jsonl", "None of the first 2"),
    ],
)
def test_inspect_refuses_empty_or_unparseable(data: bytes, fmt: str, message: str | None) -> None:
    if message is None:  # a header repeated as a row is data, not an error
        assert inspect_dataset(io.BytesIO(data), fmt).row_count == 1  # type: ignore[arg-type]
        return
    with pytest.raises(ValidationFailed, match=message):
        inspect_dataset(io.BytesIO(data), fmt)  # type: ignore[arg-type]


def test_inspect_refuses_when_every_checked_row_is_malformed() -> None:
    data = b"response,expected\n" + b"a,b,c\n" * 5 + b"a,b\n"
    with pytest.raises(ValidationFailed, match="None of the first 5"):
        inspect_dataset(io.BytesIO(data), "csv", max_rows_to_check=5)
    assert inspect_dataset(io.BytesIO(data), "csv", max_rows_to_check=6).malformed_rows == 5


def test_inspect_enforces_max_bytes() -> None:
    with pytest.raises(PayloadTooLarge):
        inspect_dataset(io.BytesIO(b"response,expected\n" + b"a,b\n" * 100), "csv", max_bytes=64)


# ----------------------------------------------------------------------------- streaming


def test_fifty_thousand_rows_stream_quickly() -> None:
    def generated() -> Iterator[bytes]:
        yield b"id,prompt,response,expected\n"
        for start in range(0, 50_000, 1000):
            yield "".join(
                f'row-{i},What is {i}?,It is {i},"{i}, of course"\n' for i in range(start, start + 1000)
            ).encode()

    count = 0
    last: object = None
    for index, row in iter_rows(generated(), "csv"):
        assert not isinstance(row, str)
        count += 1
        last = (index, row)
    assert count == 50_000
    assert last == (
        50_000,
        {"id": "row-49999", "prompt": "What is 49999?", "response": "It is 49999", "expected": "49999, of course"},
    )

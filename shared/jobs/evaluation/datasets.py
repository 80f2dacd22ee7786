"""Streaming readers of evaluation datasets: CSV with a header row, or JSONL (one object a line).

Why streaming: a dataset may hold 50,000 rows or more and a Functions worker has little memory,
so nothing here reads a whole file: bytes are pulled chunk by chunk (from a file object, a blob
download's ``read`` or an iterable of chunks) and decoded incrementally.

Why a malformed row is a value, not an exception: one bad line in 50,000 must fail that row in
the results, not the job. Only file-level problems (not UTF-8, unreadable or invalid header,
missing required columns, empty file) raise ``ValidationFailed`` (422), and an over-size upload
raises ``PayloadTooLarge`` (413) when the caller sets ``max_bytes``.

Error messages describe the structure ("expected 3 fields, found 4") and never quote cell
contents, column names, file names or content types: datasets can hold personal data, messages
end up in logs and results, and the API never echoes a caller's value (it names the field).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Literal

from pydantic import ConfigDict

from shared.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from shared.jsontext import MAX_JSON_DEPTH, json_depth_exceeds
from shared.models.base import ApiModel

DatasetFormat = Literal["csv", "jsonl"]

RowOrError = tuple[int, dict[str, Any] | str]
"""``(index, row)`` for a parsed row or ``(index, message)`` for a malformed one.

``index`` is the 1-based ordinal of the data record (header and blank lines not counted), so it
is the same for a row whether it parsed or not, and usable as the row's fallback id.
"""

REQUIRED_COLUMNS: tuple[str, ...] = ("expected",)
"""``response`` may be absent: an agent answers rows without one."""

CSV_CONTENT_TYPES = frozenset({"text/csv", "application/csv", "text/x-csv", "application/x-csv"})
JSONL_CONTENT_TYPES = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/json-lines",
        "application/x-jsonlines",
        "application/jsonlines",
    }
)
GENERIC_CONTENT_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "text/plain"})
"""Types that say nothing about the format (browsers and SDKs send these): the extension decides."""

FORMAT_BY_EXTENSION: dict[str, DatasetFormat] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}

_UTF8_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


MAX_LINE_CHARS = 1_048_576
"""Longest JSONL line read into memory; a longer line is a malformed row, skipped in pieces."""

DEFAULT_ROWS_TO_CHECK = 1_000
MAX_ERROR_SAMPLES = 10
_READ_CHUNK = 64 * 1024


# --------------------------------------------------------------------------- format detection


def detect_format(content_type: str | None, filename: str | None) -> DatasetFormat:
    """The dataset format from the upload's Content-Type, or its file extension when that is generic.

    A specific but unsupported type (``application/json``, ``application/pdf``...) is refused even
    when the name ends in ``.csv``: the client said what it sent. Only UTF-8 (or ASCII) charsets
    are accepted since that is the only encoding the readers decode.

    Raises ``UnsupportedMediaType`` (415) for anything else.
    """
    media_type, _, params = (content_type or "").partition(";")
    media_type = media_type.strip().lower()
    charset = _charset_of(params)
    if charset is not None and charset not in _UTF8_CHARSETS:
        raise UnsupportedMediaType(
            "Datasets must be UTF-8 encoded (the Content-Type's charset).",
            details={"field": "header.Content-Type", "accepted_charsets": sorted(_UTF8_CHARSETS)},
        )
    if media_type in CSV_CONTENT_TYPES:
        return "csv"
    if media_type in JSONL_CONTENT_TYPES:
        return "jsonl"
    if media_type in GENERIC_CONTENT_TYPES:
        extension = _extension_of(filename)
        if extension in FORMAT_BY_EXTENSION:
            return FORMAT_BY_EXTENSION[extension]
    hint = " (send one JSON object a line as application/x-ndjson)" if media_type == "application/json" else ""
    raise UnsupportedMediaType(
        f"Datasets must be CSV (text/csv) or JSON Lines (application/x-ndjson){hint}.",
        details={
            "field": "header.Content-Type",
            "accepted_content_types": sorted(CSV_CONTENT_TYPES | JSONL_CONTENT_TYPES),
            "accepted_extensions": sorted(FORMAT_BY_EXTENSION),
        },
    )


def _charset_of(params: str) -> str | None:
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _extension_of(filename: str | None) -> str:
    if not filename:
        return ""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return os.path.splitext(base)[1].lower()


# --------------------------------------------------------------------------- byte source


class _ByteSource(io.RawIOBase):
    """A raw stream over a ``read(n)`` object or an iterable of byte chunks, counting bytes.

    Wrapping every input (even a ``BytesIO``) gives one code path, enforces ``max_bytes`` while
    reading, and means closing the text wrapper never closes the caller's stream.
    """

    def __init__(self, source: IO[bytes] | Iterable[bytes], max_bytes: int | None) -> None:
        super().__init__()
        self._reader = getattr(source, "read", None)
        self._chunks: Iterator[bytes] | None = None if self._reader is not None else iter(source)
        self._pending = memoryview(b"")
        self._max_bytes = max_bytes
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def _fetch(self, size: int) -> bytes:
        if self._reader is not None:
            return bytes(self._reader(size))
        assert self._chunks is not None
        for chunk in self._chunks:
            if chunk:  # an empty chunk from an iterator is not the end of the stream
                return bytes(chunk)
        return b""

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        if not self._pending:
            self._pending = memoryview(self._fetch(len(target)))
        count = min(len(target), len(self._pending))
        target[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        self.bytes_read += count
        if self._max_bytes is not None and self.bytes_read > self._max_bytes:
            raise PayloadTooLarge(
                f"The dataset is larger than the limit of {self._max_bytes} bytes.",
                details={"max_bytes": self._max_bytes},
            )
        return count


def _open_text(stream: IO[bytes] | Iterable[bytes], max_bytes: int | None) -> tuple[io.TextIOWrapper, _ByteSource]:
    """UTF-8 text over the bytes; ``utf-8-sig`` drops the BOM Excel writes, ``newline=""`` leaves
    line endings to the CSV reader (quoted fields may hold newlines)."""
    source = _ByteSource(stream, max_bytes)
    text = io.TextIOWrapper(io.BufferedReader(source, _READ_CHUNK), encoding="utf-8-sig", newline="")
    return text, source


# --------------------------------------------------------------------------- row iteration


def iter_rows(
    stream: IO[bytes] | Iterable[bytes], fmt: DatasetFormat, *, max_bytes: int | None = None
) -> Iterator[RowOrError]:
    """Rows of the dataset one at a time: ``(index, row)`` or ``(index, error message)``.

    CSV rows are ``{column: text}`` keyed by the (stripped) header names; JSONL rows are the
    decoded objects. Blank lines, and CSV records whose fields are all empty (spreadsheet
    exports pad with ",,,"), are skipped without taking an index.

    Raises ``ValidationFailed`` when the file is not UTF-8 or the CSV header is unusable, and
    ``PayloadTooLarge`` when more than ``max_bytes`` are read.
    """
    yield from _iter_rows(stream, fmt, max_bytes, [], None)


def _iter_rows(
    stream: IO[bytes] | Iterable[bytes],
    fmt: DatasetFormat,
    max_bytes: int | None,
    header_sink: list[str],
    source_sink: list[_ByteSource] | None,
) -> Iterator[RowOrError]:
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown dataset format {fmt!r}")
    text, source = _open_text(stream, max_bytes)
    if source_sink is not None:
        source_sink.append(source)
    try:
        if fmt == "csv":
            yield from _csv_rows(text, header_sink)
        else:
            yield from _jsonl_rows(text)
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            "The dataset is not valid UTF-8 text.", details={"encoding": "utf-8", "reason": exc.reason}
        ) from None
    finally:
        text.close()  # closes our wrappers only, never the caller's stream


def _csv_rows(text: io.TextIOWrapper, header_sink: list[str]) -> Iterator[RowOrError]:
    reader = csv.reader(text)
    header: list[str] | None = None
    index = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if header is None:
                raise ValidationFailed(
                    "The CSV header row cannot be parsed.", details={"line": reader.line_num, "reason": str(exc)}
                ) from None
            index += 1
            yield index, f"row {index} (line {reader.line_num}): malformed CSV: {exc}"
            continue
        if not any(field.strip() for field in record):
            continue
        if header is None:
            header = _checked_header(record)
            header_sink.extend(header)
            continue
        index += 1
        if len(record) != len(header):
            yield index, f"row {index} (line {reader.line_num}): expected {len(header)} fields, found {len(record)}"
            continue
        yield index, dict(zip(header, record, strict=True))


def _checked_header(record: list[str]) -> list[str]:
    """Stripped column names; empty or duplicate names would make rows ambiguous, so 422."""
    header = [name.strip() for name in record]
    empty = [position + 1 for position, name in enumerate(header) if not name]
    if empty:
        raise ValidationFailed("The CSV header has columns without a name.", details={"empty_column_positions": empty})
    seen: set[str] = set()
    repeated = []
    for position, name in enumerate(header, start=1):
        if name in seen:
            repeated.append(position)
        seen.add(name)
    if repeated:  # positions, not names: column names are the caller's data
        raise ValidationFailed("The CSV header repeats column names.", details={"duplicate_column_positions": repeated})
    return header


_JSON_TYPE_NAMES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def _jsonl_rows(text: io.TextIOWrapper) -> Iterator[RowOrError]:
    index = 0
    line_number = 0
    while True:
        line = text.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        line_number += 1
        if len(line) > MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            _skip_rest_of_line(text)
            index += 1
            yield index, f"row {index} (line {line_number}): line longer than {MAX_LINE_CHARS} characters"
            continue
        stripped = line.strip()
        if not stripped:
            continue
        index += 1
        if json_depth_exceeds(stripped):  # a row nested ~1,000 deep would exhaust the stack
            yield index, f"row {index} (line {line_number}): invalid JSON: nested deeper than {MAX_JSON_DEPTH} levels"
            continue
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError as exc:
            yield index, f"row {index} (line {line_number}): invalid JSON: {exc.msg} at column {exc.colno}"
            continue
        except (ValueError, RecursionError) as exc:  # over-long integers, absurd nesting
            yield index, f"row {index} (line {line_number}): invalid JSON: {type(exc).__name__}"
            continue
        if not isinstance(value, dict):
            kind = "null" if value is None else _JSON_TYPE_NAMES.get(type(value), type(value).__name__)
            yield index, f"row {index} (line {line_number}): expected a JSON object, found {kind}"
            continue
        yield index, value


def _skip_rest_of_line(text: io.TextIOWrapper) -> None:
    while True:
        piece = text.readline(MAX_LINE_CHARS)
        if not piece or piece.endswith(("\n", "\r")):
            return


# --------------------------------------------------------------------------- row helpers


class MalformedRow(ValueError):
    """A parsed row that cannot be evaluated (a required value missing or not text)."""


def row_id(index: int, row: Mapping[str, Any] | None) -> str:
    """The row's ``id`` value when present and non-empty (text or integer), else its 1-based index."""
    if row is not None:
        value = row.get("id")
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return str(index)


def text_value(row: Mapping[str, Any], column: str) -> str:
    """A column's value as text: strings as they are, JSON numbers in their JSON spelling.

    Missing, null, booleans, arrays and objects raise ``MalformedRow``: guessing a text for them
    would score something the dataset author did not write.
    """
    value = row.get(column)
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return json.dumps(value)
    if value is None:
        raise MalformedRow(f"row has no {column!r} value")
    raise MalformedRow(f"{column!r} must be text, found {type(value).__name__}")


def response_and_expected(row: Mapping[str, Any]) -> tuple[str, str]:
    """The two texts a row is scored on; raises ``MalformedRow`` (the row errors, not the job)."""
    return text_value(row, "response"), text_value(row, "expected")


# --------------------------------------------------------------------------- inspection


class DatasetInfo(ApiModel):
    """What an upload holds, found in one streaming pass."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: DatasetFormat
    columns: list[str]
    row_count: int
    """Data records, malformed ones included (they will be reported as errored rows)."""
    malformed_rows: int
    error_samples: list[str]
    bytes_read: int


def inspect_dataset(
    stream: IO[bytes] | Iterable[bytes],
    fmt: DatasetFormat,
    *,
    max_rows_to_check: int = DEFAULT_ROWS_TO_CHECK,
    max_bytes: int | None = None,
    extra_required_columns: Iterable[str] = (),
) -> DatasetInfo:
    """Validate an upload before it is accepted and count its rows, in one streaming pass.

    Columns are the CSV header, or for JSONL the keys seen in the first ``max_rows_to_check``
    objects (in order of appearance; later rows are not scanned for columns so the list stays
    bounded). ``response`` and ``expected`` plus ``extra_required_columns`` (e.g. the prompt
    template's placeholders) must be among them; this is checked as soon as the columns are
    known, so a wrong file fails fast rather than after a full read.

    Raises ``ValidationFailed`` (422) for an empty file, a file with no data rows, missing
    columns, or when none of the first ``max_rows_to_check`` rows parses (wrong format);
    ``PayloadTooLarge`` (413) past ``max_bytes``.
    """
    if max_rows_to_check < 1:
        raise ValueError("max_rows_to_check must be at least 1")
    required = list(dict.fromkeys([*REQUIRED_COLUMNS, *extra_required_columns]))
    header: list[str] = []
    sources: list[_ByteSource] = []
    columns: dict[str, None] = {}
    columns_checked = False
    row_count = malformed = parsed_in_checked = 0
    samples: list[str] = []

    for index, row in _iter_rows(stream, fmt, max_bytes, header, sources):
        row_count += 1
        if fmt == "csv" and not columns_checked:
            columns = dict.fromkeys(header)
            _require_columns(columns, required)
            columns_checked = True
        if isinstance(row, str):
            malformed += 1
            if len(samples) < MAX_ERROR_SAMPLES:
                samples.append(row)
        elif index <= max_rows_to_check:
            parsed_in_checked += 1
            if fmt == "jsonl":
                columns.update(dict.fromkeys(row))
        if index == max_rows_to_check:
            _require_parsed_rows(parsed_in_checked, max_rows_to_check, samples)
            if fmt == "jsonl" and not columns_checked:
                _require_columns(columns, required)
                columns_checked = True

    if row_count == 0:
        if fmt == "csv" and header:
            raise ValidationFailed("The dataset has a header but no data rows.", details={"row_count": 0})
        raise ValidationFailed("The dataset is empty.", details={"row_count": 0})
    _require_parsed_rows(parsed_in_checked, min(row_count, max_rows_to_check), samples)
    if not columns_checked:
        _require_columns(columns, required)
    return DatasetInfo(
        format=fmt,
        columns=list(columns),
        row_count=row_count,
        malformed_rows=malformed,
        error_samples=samples,
        bytes_read=sources[0].bytes_read,
    )


def _require_columns(columns: Mapping[str, Any], required: Sequence[str]) -> None:
    """``required`` are names the service asks for, so naming them echoes nothing of the caller's;
    the dataset's own column names are not repeated back."""
    missing = [name for name in required if name not in columns]
    if missing:
        raise ValidationFailed(
            f"The dataset is missing required column(s): {', '.join(missing)}.",
            details={"missing_columns": missing, "column_count": len(columns)},
        )


def _require_parsed_rows(parsed: int, checked: int, samples: list[str]) -> None:
    """If not one of the first rows parses, the file is in another format: refuse it whole."""
    if checked and parsed == 0:
        raise ValidationFailed(
            f"None of the first {checked} row(s) could be parsed; is the file in the declared format?",
            details={"error_samples": samples},
        )

"""A job's result files, JSON and CSV, built without holding the results whole anywhere.

Large results are assembled in Blob storage: each batch stages its rows as blocks of both
files (block ids are the batch index, so a re-run replaces its blocks rather than appending),
and the step that counts the last batch commits the block lists in batch order with a
header and footer. Sizes are summed from what was staged, never asked of the service.

Small results (a job run inside its start step, rows up to ``TABLE_TEXT_LIMIT`` characters)
stay beside the job in one Table row as a JSON array; ``small_file`` renders them byte for
byte as the blobs would hold them, so a client cannot tell the two apart.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from shared.jobs.store import dumps, result_blob

TABLE_TEXT_LIMIT = 30_000  # characters: a Table string property holds 64 KiB of UTF-16
_HEADER, _FOOTER = "hdr-0000000", "ftr-0000000"


def _block(index: int, part: str) -> str:
    return f"b{index:08d}-{part}"


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def neutralise(text: str) -> str:
    """``text`` made inert for a spreadsheet: a leading ``'`` when it starts with a formula trigger.

    Why: result rows carry the caller's text (a dataset's row ids, messages), and a cell such as
    ``=HYPERLINK("http://...")`` would become a live formula in whoever opens the CSV. The quote
    is the OWASP remedy: spreadsheets show the text as it was and drop the quote. Any other text
    is left exactly as it was.
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _csv_field(value: Any) -> str:
    """One CSV field: nested values as JSON (they start with ``{`` or ``[``), text neutralised, and
    the app's own numbers and booleans as they are (a ``-0.5`` score stays a number); quoted when
    it holds a comma, a quote or any line break.

    Written here rather than by ``csv.writer``: with ``"\n"`` line endings (this format's) the
    standard writer of Python 3.11 leaves a lone carriage return unquoted, which readers and
    spreadsheets take as a row break, so a caller's text could start a row, and a formula, of its own.
    """
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        text = json.dumps(value, separators=(",", ":"))
    elif isinstance(value, str):
        text = neutralise(value)
    else:
        return str(value)
    return '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES.search(text) else text


def csv_bytes(columns: tuple[str, ...], rows: list[dict[str, Any]], header: bool = False) -> bytes:
    """Result rows as CSV lines (RFC 4180 quoting, ``\n`` line ends), after the header line when asked.

    Every CSV the API serves is built here (inline results and staged blocks alike), so the two
    stay byte-identical and no field escapes ``neutralise``.
    """
    lines = [",".join(_csv_field(column) for column in columns)] if header else []
    lines += [",".join(_csv_field(row.get(column)) for column in columns) for row in rows]
    return "".join(line + "\n" for line in lines).encode()


def json_rows(rows: list[dict[str, Any]]) -> str:
    """Result rows as the JSON array the results file holds."""
    return "[" + ",".join(dumps(row) for row in rows) + "]"


def _json_header(job_id: str, summary: dict[str, Any] | None) -> str:
    return json.dumps({"job_id": job_id, "summary": summary})[:-1] + ',"rows":'


def small_file(
    job_id: str, summary: dict[str, Any] | None, columns: tuple[str, ...], rows_text: str, fmt: str
) -> bytes:
    """The JSON or CSV file of results kept in a Table row, as ``commit`` would have built it."""
    if fmt == "json":
        return (_json_header(job_id, summary) + rows_text + "}").encode()
    return csv_bytes(columns, json.loads(rows_text), header=True)


def stage(
    container: Any, tenant_id: str, job_id: str, index: int, columns: tuple[str, ...], rows: list[dict[str, Any]]
) -> dict[str, int]:
    """Stage one batch's rows as blocks of both result blobs; returns the bytes staged.

    The JSON block leaves out its leading comma (a block of its own, used between batches),
    so the final sizes are known at commit without asking the Blob service.
    """
    if not rows:
        return {"json_bytes": 0, "csv_bytes": 0}
    encoded = [dumps(row) for row in rows]
    json_blob = container.get_blob_client(result_blob(tenant_id, job_id, "json"))
    first, rest = encoded[0].encode(), ("," + ",".join(encoded[1:])).encode() if len(encoded) > 1 else b""
    json_blob.stage_block(_block(index, "a"), first)
    json_blob.stage_block(_block(index, "c"), b",")
    if rest:
        json_blob.stage_block(_block(index, "b"), rest)
    lines = csv_bytes(columns, rows)
    container.get_blob_client(result_blob(tenant_id, job_id, "csv")).stage_block(_block(index, "a"), lines)
    return {"json_bytes": len(first) + len(rest), "csv_bytes": len(lines)}


def commit(
    container: Any,
    tenant_id: str,
    job_id: str,
    columns: tuple[str, ...],
    batches: list[Any],
    summary: dict[str, Any],
) -> list[dict[str, Any]]:
    """Commit the staged blocks in batch order; returns blob references to both result files.

    ``batches`` are the batch records (``RowKey`` = index, ``rows``, and the sizes ``stage`` returned).
    """
    from azure.storage.blob import BlobBlock, ContentSettings

    rows_of = {int(b["RowKey"]): int(b.get("rows", 0)) for b in batches}
    with_rows = [index for index, rows in rows_of.items() if rows > 0]
    json_blob = container.get_blob_client(result_blob(tenant_id, job_id, "json"))
    json_header = (_json_header(job_id, summary) + "[").encode()
    json_blob.stage_block(_HEADER, json_header)
    json_blob.stage_block(_FOOTER, b"]}")
    blocks = [_HEADER]
    for position, index in enumerate(with_rows):
        if position:
            blocks.append(_block(index, "c"))
        blocks.append(_block(index, "a"))
        if rows_of[index] > 1:
            blocks.append(_block(index, "b"))
    blocks.append(_FOOTER)
    json_blob.commit_block_list(
        [BlobBlock(block_id=b) for b in blocks], content_settings=ContentSettings(content_type="application/json")
    )
    csv_blob = container.get_blob_client(result_blob(tenant_id, job_id, "csv"))
    csv_header = csv_bytes(columns, [], header=True)
    csv_blob.stage_block(_HEADER, csv_header)
    csv_blob.commit_block_list(
        [BlobBlock(block_id=b) for b in [_HEADER, *(_block(i, "a") for i in with_rows)]],
        content_settings=ContentSettings(content_type="text/csv"),
    )
    staged = [b for b in batches if int(b["RowKey"]) in with_rows]
    json_size = len(json_header) + 2 + max(0, len(staged) - 1) + sum(int(b.get("json_bytes", 0)) for b in staged)
    csv_size = len(csv_header) + sum(int(b.get("csv_bytes", 0)) for b in staged)
    return [
        blob_reference(container, json_blob.blob_name, json_size, "result", "application/json"),
        blob_reference(container, csv_blob.blob_name, csv_size, "result", "text/csv"),
    ]


def blob_reference(
    container: Any, name: str, size: int, purpose: str, content_type: str = "application/json"
) -> dict[str, Any]:
    """A JobMessage's ``blob_references`` entry for a blob of this app's storage account."""
    return {
        "blob_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{container.container_name}/{name}")),
        "storage_account": container.account_name,
        "container": container.container_name,
        "blob_name": name,
        "content_type": content_type,
        "size_bytes": size,
        "access_url": None,
        "purpose": purpose,
    }

"""The datasets API in-process against Azurite: upload, list, get, delete, limits and isolation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from shared import deps
from shared.jobs.evaluation.datasets import iter_rows
from tests.functional.conftest import ADMIN
from tests.support.inprocess import InProcessClient, Reply

Tenant = dict[str, Any]

CSV = b"id,question,response,expected\na,Capital of France?,Paris.,paris\nb,2+2?,five,four\n"
JSONL = b'{"id": "x", "response": "yes", "expected": "yes"}\n\n{"id": "y", "response": "no", "expected": "yes"}\n'


def upload(
    client: InProcessClient, tenant: Tenant, body: bytes, content_type: str = "text/csv", **params: str
) -> Reply:
    headers = {**tenant["headers"], "Content-Type": content_type}
    return client.post("/api/v1/datasets", body=body, headers=headers, params=params or None)


def test_upload_csv_and_jsonl(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    reply = upload(client, tenant, CSV, name="capitals")
    assert reply.status == 201, reply.body
    dataset = reply.json()
    assert dataset["id"].startswith("ds_")
    assert dataset["name"] == "capitals"
    assert dataset["format"] == "csv"
    assert dataset["columns"] == ["id", "question", "response", "expected"]
    assert dataset["row_count"] == 2 and dataset["malformed_rows"] == 0
    assert dataset["size_bytes"] == len(CSV)
    record = deps.datasets().get(tenant["tenant"]["id"], dataset["id"])
    assert record is not None
    assert record.blob == f"{tenant['tenant']['id']}/{dataset['id']}/data.csv"
    assert record.header == "id,question,response,expected\n"
    assert record.offsets == [len(record.header)]
    assert deps.datasets().read_range(record.blob, 0, len(CSV)) == CSV

    jsonl = upload(client, tenant, JSONL, "application/x-ndjson")
    assert jsonl.status == 201, jsonl.body
    assert jsonl.json()["format"] == "jsonl" and jsonl.json()["row_count"] == 2
    assert jsonl.json()["columns"] == ["id", "response", "expected"]
    assert jsonl.json()["name"] == jsonl.json()["id"], "no name or filename: the id"

    by_extension = upload(client, tenant, JSONL, "application/octet-stream", filename="answers.jsonl")
    assert by_extension.status == 201 and by_extension.json()["format"] == "jsonl"
    assert by_extension.json()["name"] == "answers.jsonl"


def test_offsets_mark_row_starts_with_quoted_newlines(
    client: InProcessClient, make_tenant: Callable[..., Tenant], configure: Callable[..., None]
) -> None:
    configure(CLOUDPLANE_DATASET_CHUNK_ROWS=2)
    tenant = make_tenant()
    body = (
        b"\xef\xbb\xbfid,response,expected\r\n"
        b'1,"multi\r\nline",x\r\n'
        b",,\r\n"
        b'2,b,"quoted ""and""\nnewline"\r\n'
        b"3,c,c\r\n"
        b"\r\n"
        b'4,"d\n\nd",d\r\n'
        b"5,e,e"
    )
    reply = upload(client, tenant, body, "text/csv; charset=utf-8")
    assert reply.status == 201, reply.body
    assert reply.json()["row_count"] == 5
    record = deps.datasets().get(tenant["tenant"]["id"], reply.json()["id"])
    assert record is not None and record.chunk_rows == 2 and len(record.offsets) == 3
    ids = []
    for index, offset in enumerate(record.offsets):
        end = record.offsets[index + 1] if index + 1 < len(record.offsets) else len(body)
        chunk = record.header.encode() + body[offset:end]
        ids.append([row["id"] for _, row in iter_rows([chunk], "csv") if isinstance(row, dict)])
    assert ids == [["1", "2"], ["3", "4"], ["5"]]


def test_refusals(client: InProcessClient, make_tenant: Callable[..., Tenant], configure: Callable[..., None]) -> None:
    tenant = make_tenant()
    wrong_type = upload(client, tenant, CSV, "application/json")
    assert wrong_type.status == 415 and wrong_type.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert upload(client, tenant, CSV, "application/pdf", filename="x.csv").status == 415
    assert upload(client, tenant, CSV, "application/octet-stream", filename="x.txt").status == 415

    missing = upload(client, tenant, b"id,response\n1,a\n")
    assert missing.status == 422
    assert missing.json()["error"]["details"]["missing_columns"] == ["expected"]

    # Nothing the caller sent (column names, content type, file name) comes back in an error.
    marker = "=cmd|calc"
    repeated = upload(client, tenant, f"{marker},{marker},response,expected\n1,1,a,b\n".encode())
    assert repeated.status == 422 and repeated.json()["error"]["details"]["duplicate_column_positions"] == [2]
    strange = upload(client, tenant, CSV, f"application/x-{marker}", filename=f"{marker}.bin")
    charset = upload(client, tenant, CSV, f"text/csv; charset={marker}")
    headless = upload(client, tenant, f"{marker},response,expected\n".encode())
    for reply in (repeated, strange, charset, headless, missing):
        assert reply.status in (415, 422) and marker not in json.dumps(reply.json())
        assert "columns" not in reply.json()["error"]["details"]
    assert upload(client, tenant, b"").status == 422
    assert upload(client, tenant, b"response,expected\n").status == 422
    assert upload(client, tenant, b"\xff\xfe,response,expected\n", "text/csv").status == 422

    configure(CLOUDPLANE_MAX_DATASET_BYTES=len(CSV) - 1)
    too_big = upload(client, tenant, CSV)
    assert too_big.status == 413 and too_big.json()["error"]["details"]["limit_bytes"] == len(CSV) - 1
    configure(CLOUDPLANE_MAX_DATASET_BYTES=10_000, CLOUDPLANE_MAX_BODY_BYTES=50)
    assert upload(client, tenant, CSV).status == 201, "uploads take the dataset limit, not the JSON body limit"
    assert client.post("/api/v1/tenants", json={"name": "x" * 60, "slug": "s"}, headers=ADMIN).status == 413
    assert len(client.get("/api/v1/datasets", headers=tenant["headers"]).json()["items"]) == 1


def test_list_get_delete_and_isolation(client: InProcessClient, make_tenant: Callable[..., Tenant]) -> None:
    tenant, other = make_tenant(), make_tenant()
    first = upload(client, tenant, CSV, name="one").json()
    second = upload(client, tenant, JSONL, "application/x-ndjson", name="two").json()
    upload(client, other, CSV, name="theirs")

    page = client.get("/api/v1/datasets", headers=tenant["headers"], params={"limit": "1"}).json()
    assert page["has_more"] is True and [d["id"] for d in page["items"]] == [second["id"]], "newest first"
    rest = client.get(
        "/api/v1/datasets", headers=tenant["headers"], params={"limit": "1", "cursor": page["next_cursor"]}
    ).json()
    assert [d["id"] for d in rest["items"]] == [first["id"]]

    got = client.get(f"/api/v1/datasets/{first['id']}", headers=tenant["headers"])
    assert got.status == 200 and got.json() == first
    theirs = client.get(f"/api/v1/datasets/{first['id']}", headers=other["headers"])
    assert theirs.status == 404 and theirs.json()["error"]["code"] == "DATASET_NOT_FOUND"
    assert client.delete(f"/api/v1/datasets/{first['id']}", headers=other["headers"]).status == 404
    listed = client.get("/api/v1/datasets", headers=other["headers"]).json()["items"]
    assert [d["name"] for d in listed] == ["theirs"]

    blob = f"{tenant['tenant']['id']}/{first['id']}/data.csv"
    assert deps.datasets().blob_exists(blob)
    deleted = client.delete(f"/api/v1/datasets/{first['id']}", headers=tenant["headers"])
    assert deleted.status == 204 and deleted.body == b""
    assert not deps.datasets().blob_exists(blob)
    assert client.get(f"/api/v1/datasets/{first['id']}", headers=tenant["headers"]).status == 404
    assert client.delete(f"/api/v1/datasets/{first['id']}", headers=tenant["headers"]).status == 404
    left = client.get("/api/v1/datasets", headers=tenant["headers"]).json()["items"]
    assert [d["id"] for d in left] == [second["id"]]


def test_needs_a_tenant_key(client: InProcessClient) -> None:
    reply = client.post("/api/v1/datasets", body=CSV, headers={"Content-Type": "text/csv"})
    assert reply.status == 401
    assert json.loads(reply.body)["error"]["code"] == "UNAUTHORIZED"


def test_a_json_line_nested_a_thousand_deep_is_a_malformed_row(
    client: InProcessClient, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    deep = b"[" * 1000 + b"]" * 1000
    body = b'{"response":"a","expected":"a"}\n' + deep + b"\n"
    reply = upload(client, tenant, body, "application/x-ndjson")
    assert reply.status == 201, reply.body
    assert (reply.json()["row_count"], reply.json()["malformed_rows"]) == (2, 1)
    only_deep = upload(client, tenant, deep + b"\n", "application/x-ndjson")
    assert only_deep.status == 422 and only_deep.json()["error"]["code"] == "VALIDATION_FAILED"

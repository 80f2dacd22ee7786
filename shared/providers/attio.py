"""Attio (REST API v2) as a migration target.

Writes are asserts: ``PUT /v2/objects/{object}/records?matching_attribute=<slug>`` with
``{"data": {"values": {...}}}`` creates the record, or updates the one whose matching attribute
(a unique attribute: ``email_addresses`` for people, ``domains`` for companies) already holds
the value; the answer carries ``data.id.record_id`` either way. So writing a record twice
updates it, never duplicates it. ``dry_run`` looks records up with
``POST /v2/objects/{object}/records/query`` and an ``$or`` filter on the matching attribute.

Notes are not records and have no assert: ``POST /v2/notes`` with the parent record
(``parent_object``, ``parent_record_id``), ``title``, ``format`` and ``content`` creates one, and
Attio never updates a note. So a note is first looked for among its parent's notes
(``GET /v2/notes?parent_object=&parent_record_id=``, by title and text) and created only when it
is not there: a re-run of a whole migration finds the notes the last run wrote.

Mapped values arrive flat: ``name.first_name`` and ``name.last_name`` become one personal-name
value; a ``RecordRef`` becomes a record reference. Auth is a Bearer access token; Attio allows
100 reads and 25 writes a second and answers ``429`` with ``Retry-After`` as an HTTP date.
"""

from __future__ import annotations

from typing import Any

from shared.providers.connectors import Probe, RecordRef, Written
from shared.providers.remote_api import Budget, Endpoint, RemoteApi, RemoteRejected, RetryPolicy

QUERY_LIMIT = 500
NOTES_PAGE = 50
"""The most notes ``GET /v2/notes`` answers at once."""
_PLAIN_KEYS = ("email_address", "domain", "value", "original_phone_number", "target_record_id")


def attio_values(values: dict[str, Any]) -> dict[str, Any]:
    """Flat mapped values as Attio's write shapes (composite attributes joined, references expanded)."""
    written: dict[str, Any] = {}
    composite: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        if "." in key:
            attribute, part = key.split(".", 1)
            composite.setdefault(attribute, {})[part] = value
        elif isinstance(value, RecordRef):
            written[key] = [{"target_object": value.object_name, "target_record_id": value.record_id}]
        else:
            written[key] = value
    for attribute, parts in composite.items():
        if attribute == "name" and {"first_name", "last_name"} & set(parts):
            first, last = parts.get("first_name") or "", parts.get("last_name") or ""
            parts = {"first_name": first, "last_name": last, "full_name": f"{first} {last}".strip(), **parts}
        written[attribute] = [parts]
    return written


def _plain(item: Any) -> Any:
    if isinstance(item, dict):
        for key in _PLAIN_KEYS:
            if key in item:
                return item[key]
    return item


class AttioTarget:
    def __init__(self, endpoint: Endpoint, api_key: str, budget: Budget, policy: RetryPolicy) -> None:
        bearer = f"Bearer {api_key}"
        self.api = RemoteApi(endpoint, lambda path: bearer, budget, policy, label="Attio")

    def assert_record(self, object_name: str, matching_attribute: str, values: dict[str, Any]) -> Written:
        body = self.api.call(
            "PUT",
            f"/v2/objects/{object_name}/records",
            kind="write",
            query={"matching_attribute": matching_attribute},
            body={"data": {"values": attio_values(values)}},
        ).body
        return Written(str(body["data"]["id"]["record_id"]))

    def add_note(self, parent: RecordRef, values: dict[str, Any]) -> Written:
        """The note on ``parent`` with this title and text: found if an earlier run wrote it, else created."""
        title = str(values.get("title") or "Note").replace("\n", " ")
        content = str(values["content"])
        offset = 0
        while True:
            notes = self.api.call(
                "GET",
                "/v2/notes",
                kind="read",
                query={
                    "parent_object": parent.object_name,
                    "parent_record_id": parent.record_id,
                    "limit": NOTES_PAGE,
                    "offset": offset,
                },
            ).body.get("data", [])
            for note in notes:
                if note.get("title") == title and note.get("content_plaintext") == content:
                    return Written(str(note["id"]["note_id"]))
            if len(notes) < NOTES_PAGE:
                break
            offset += NOTES_PAGE
        data = {
            "parent_object": parent.object_name,
            "parent_record_id": parent.record_id,
            "title": title,
            "format": values.get("format") or "plaintext",
            "content": content,
        }
        if values.get("created_at"):
            data["created_at"] = values["created_at"]
        body = self.api.call("POST", "/v2/notes", kind="write", body={"data": data}).body
        return Written(str(body["data"]["id"]["note_id"]))

    def find(self, object_name: str, matching_attribute: str, values: list[Any]) -> dict[str, str]:
        found: dict[str, str] = {}
        wanted = [value for value in dict.fromkeys(values) if value is not None]
        for start in range(0, len(wanted), QUERY_LIMIT):
            chunk = wanted[start : start + QUERY_LIMIT]
            body = self.api.call(
                "POST",
                f"/v2/objects/{object_name}/records/query",
                kind="read",
                body={"filter": {"$or": [{matching_attribute: value} for value in chunk]}, "limit": QUERY_LIMIT},
            ).body
            for record in body.get("data", []):
                for item in record.get("values", {}).get(matching_attribute, []):
                    found[str(_plain(item))] = str(record["id"]["record_id"])
        return found

    def probe(self) -> Probe:
        try:
            body = self.api.call("GET", "/v2/self", kind="read").body
        except RemoteRejected as error:
            return Probe(False, "UNAUTHORIZED" if error.status in (401, 403) else "API_ERROR", error.reason)
        if not body.get("active", False):
            return Probe(False, "UNAUTHORIZED", "The access token is not active.")
        return Probe(True)

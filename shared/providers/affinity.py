"""Affinity as a migration source: API v2 where it covers the object, v1 where it does not.

- v2 (``/v2/companies``; Bearer token; ``limit`` up to 100 and an opaque ``cursor``, the next
  page's URL in ``pagination.nextUrl``) for organizations, which v2 calls companies.
- v1 (``/persons``; HTTP Basic with the key as password and no user; ``page_size`` up to 500 and
  ``page_token``/``next_page_token``) for persons: v1's person carries ``organization_ids``,
  which is what keeps a person's organization through the move; v2's basic person does not.

- v2 (``/v2/opportunities``) for opportunities, and (``/v2/lists/{listId}/list-entries``) for the
  entries (rows) of one list, which a migration names as the object ``list_{listId}``.
- v1 (``/notes``; ``page_size`` up to 500 and ``page_token``) for notes: v1 pages every note of
  the account in one collection (v2 only has a person's, company's or opportunity's notes, one
  entity at a time), and its note names every person, organization and opportunity it is on.

Records come out flattened to one shape whatever the version: persons with ``first_name``,
``last_name``, ``emails``, ``primary_email``, ``organization_ids``; organizations with ``name``,
``domain``, ``domains``; opportunities with ``name``, ``list_id``, ``affinity_id``; list entries
with ``affinity_id`` (the entry's id), ``list_id``, ``entity_type`` (company, person or
opportunity), ``entity_id``, ``entity_name``, ``entity_domains``, ``entity_emails``, ``created_at``
and ``company_ids`` / ``person_ids`` / ``opportunity_ids`` (the entity's id under its kind, so a
mapping can relate an entry to the record its entity became); notes with ``title`` (the first
line of the text), ``content`` (plain text: an HTML note's tags are taken out), ``format``,
``created_at``, ``associated_person_ids``, ``person_ids``, ``organization_ids``,
``opportunity_ids``, ``creator_id`` and ``parent_id`` (a reply's note). Affinity allows 900 requests a
minute per user: the connection's budget keeps under it (``shared.storage.rate_budget``).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from shared.providers.connectors import Probe, SourcePage, SourceRecord
from shared.providers.remote_api import Budget, Endpoint, RemoteApi, RemoteRejected, RetryPolicy

V1_PAGE = 500
V2_PAGE = 100
LIST_OBJECT = re.compile(r"list_([1-9][0-9]{0,17})")
"""A list's entries as a source object: ``list_`` and the list's id."""


def list_id_of(object_name: str) -> str | None:
    """The list id an object name like ``list_42`` names, else None."""
    match = LIST_OBJECT.fullmatch(object_name)
    return match[1] if match else None


def _person(item: dict[str, Any]) -> SourceRecord:
    emails = list(item.get("emails") or [])
    return SourceRecord(
        str(item["id"]),
        {
            "first_name": item.get("first_name"),
            "last_name": item.get("last_name"),
            "primary_email": item.get("primary_email"),
            "emails": emails,
            "organization_ids": [str(org) for org in item.get("organization_ids") or []],
            "type": item.get("type"),
        },
    )


def _company(item: dict[str, Any]) -> SourceRecord:
    domains = list(item.get("domains") or ([item["domain"]] if item.get("domain") else []))
    return SourceRecord(
        str(item["id"]),
        {"name": item.get("name"), "domain": item.get("domain"), "domains": domains, "global": item.get("isGlobal")},
    )


def _opportunity(item: dict[str, Any]) -> SourceRecord:
    identifier = str(item["id"])
    list_id = item.get("listId")
    return SourceRecord(
        identifier,
        {"name": item.get("name"), "list_id": None if list_id is None else str(list_id), "affinity_id": identifier},
    )


NOTE_HTML = 2
"""Affinity's note types: 0 plain text, 1 email (deprecated), 2 HTML, 3 AI summary (plain text)."""
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6])\s*/?\s*>", re.IGNORECASE)
TITLE_LENGTH = 80


def note_text(content: str | None, note_type: int | None) -> str:
    """A note's body as plain text: an HTML note's line breaks kept, its tags and entities taken out."""
    text = content or ""
    if note_type == NOTE_HTML:
        text = html.unescape(_TAG.sub("", _BREAK.sub("\n", text)))
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def _note(item: dict[str, Any]) -> SourceRecord:
    identifier = str(item["id"])
    text = note_text(item.get("content"), item.get("type"))
    first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
    title = first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1].rstrip() + "…"

    def ids(name: str) -> list[str]:
        return [str(value) for value in item.get(name) or []]

    return SourceRecord(
        identifier,
        {
            "title": title or f"Affinity note {identifier}",
            "content": text,
            "format": "plaintext",
            "created_at": item.get("created_at"),
            "associated_person_ids": ids("associated_person_ids"),
            "person_ids": ids("person_ids"),
            "organization_ids": ids("organization_ids"),
            "opportunity_ids": ids("opportunity_ids"),
            "creator_id": None if item.get("creator_id") is None else str(item["creator_id"]),
            "parent_id": None if item.get("parent_id") is None else str(item["parent_id"]),
            "affinity_id": identifier,
        },
    )


def _entity_name(kind: str, entity: dict[str, Any]) -> str | None:
    if kind == "person":
        parts = [entity.get("firstName"), entity.get("lastName")]
        return " ".join(part for part in parts if part) or None
    name = entity.get("name")
    return str(name) if name else None


def _list_entry(item: dict[str, Any]) -> SourceRecord:
    identifier = str(item["id"])
    kind = str(item.get("type") or "")
    entity = item.get("entity") or {}
    entity_id = None if entity.get("id") is None else str(entity["id"])
    emails = list(entity.get("emailAddresses") or [])
    fields: dict[str, Any] = {
        "affinity_id": identifier,
        "list_id": None if item.get("listId") is None else str(item["listId"]),
        "entity_type": kind,
        "entity_id": entity_id,
        "entity_name": _entity_name(kind, entity),
        "entity_domains": list(entity.get("domains") or ([entity["domain"]] if entity.get("domain") else [])),
        "entity_emails": emails or ([entity["primaryEmailAddress"]] if entity.get("primaryEmailAddress") else []),
        "created_at": item.get("createdAt"),
    }
    for name, of_kind in (("company_ids", "company"), ("person_ids", "person"), ("opportunity_ids", "opportunity")):
        fields[name] = [entity_id] if kind == of_kind and entity_id is not None else []
    return SourceRecord(identifier, fields)


class AffinitySource:
    objects: tuple[str, ...] = ("persons", "organizations", "opportunities", "notes")
    """Besides these, ``list_{listId}`` for the entries of one list."""

    def __init__(self, endpoint: Endpoint, api_key: str, budget: Budget, policy: RetryPolicy) -> None:
        basic = "Basic " + base64.b64encode(f":{api_key}".encode()).decode()
        bearer = f"Bearer {api_key}"
        self.api = RemoteApi(
            endpoint, lambda path: bearer if path.startswith("/v2/") else basic, budget, policy, label="Affinity"
        )

    def page_size(self, object_name: str) -> int:
        return V1_PAGE if object_name in ("persons", "notes") else V2_PAGE

    def page(self, object_name: str, cursor: str | None, limit: int) -> SourcePage:
        if object_name == "persons":
            body = self.api.call(
                "GET", "/persons", kind="read", query={"page_size": min(limit, V1_PAGE), "page_token": cursor}
            ).body
            return SourcePage([_person(item) for item in body.get("persons", [])], body.get("next_page_token"))
        if object_name == "notes":
            body = self.api.call(
                "GET", "/notes", kind="read", query={"page_size": min(limit, V1_PAGE), "page_token": cursor}
            ).body
            return SourcePage([_note(item) for item in body.get("notes", [])], body.get("next_page_token"))
        if object_name == "organizations":
            return self._v2_page("/v2/companies", cursor, limit, _company)
        if object_name == "opportunities":
            return self._v2_page("/v2/opportunities", cursor, limit, _opportunity)
        list_id = list_id_of(object_name)
        if list_id is not None:
            return self._v2_page(f"/v2/lists/{list_id}/list-entries", cursor, limit, _list_entry)
        raise ValueError(f"unknown Affinity object {object_name!r}")

    def _v2_page(
        self, path: str, cursor: str | None, limit: int, convert: Callable[[dict[str, Any]], SourceRecord]
    ) -> SourcePage:
        """One page of a v2 collection: ``limit`` and ``cursor`` in, the next cursor from ``pagination.nextUrl``."""
        body = self.api.call("GET", path, kind="read", query={"limit": min(limit, V2_PAGE), "cursor": cursor}).body
        next_url = (body.get("pagination") or {}).get("nextUrl")
        next_cursor = parse_qs(urlsplit(next_url).query).get("cursor", [None])[0] if next_url else None
        return SourcePage([convert(item) for item in body.get("data", [])], next_cursor)

    def get(self, object_name: str, record_id: str) -> SourceRecord | None:
        list_id = list_id_of(object_name)
        convert: Callable[[dict[str, Any]], SourceRecord]
        if object_name == "persons":
            path, convert = f"/persons/{record_id}", _person
        elif object_name == "organizations":
            path, convert = f"/v2/companies/{record_id}", _company
        elif object_name == "notes":
            path, convert = f"/notes/{record_id}", _note
        elif object_name == "opportunities":
            path, convert = f"/v2/opportunities/{record_id}", _opportunity
        elif list_id is not None:
            path, convert = f"/v2/lists/{list_id}/list-entries/{record_id}", _list_entry
        else:
            raise ValueError(f"unknown Affinity object {object_name!r}")
        try:
            body = self.api.call("GET", path, kind="read").body
        except RemoteRejected as error:
            if error.status == 404:
                return None
            raise
        return convert(body)

    def count(self, object_name: str) -> int | None:
        return None  # Affinity's lists do not say how long they are: the plan pages through

    def probe(self) -> Probe:
        try:
            self.api.call("GET", "/v2/auth/whoami", kind="read")
        except RemoteRejected as error:
            return Probe(False, "UNAUTHORIZED" if error.status in (401, 403) else "API_ERROR", error.reason)
        return Probe(True)

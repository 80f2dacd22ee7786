"""Affinity as a migration source: API v2 where it covers the object, v1 where it does not.

- v2 (``/v2/companies``; Bearer token; ``limit`` up to 100 and an opaque ``cursor``, the next
  page's URL in ``pagination.nextUrl``) for organizations, which v2 calls companies.
- v1 (``/persons``; HTTP Basic with the key as password and no user; ``page_size`` up to 500 and
  ``page_token``/``next_page_token``) for persons: v1's person carries ``organization_ids``,
  which is what keeps a person's organization through the move; v2's basic person does not.

Records come out flattened to one shape whatever the version: persons with ``first_name``,
``last_name``, ``emails``, ``primary_email``, ``organization_ids``; organizations with ``name``,
``domain``, ``domains``. Affinity allows 900 requests a minute per user: the connection's
budget keeps under it (``shared.storage.rate_budget``).
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs, urlsplit

from shared.providers.connectors import Probe, SourcePage, SourceRecord
from shared.providers.remote_api import Budget, Endpoint, RemoteApi, RemoteRejected, RetryPolicy

V1_PAGE = 500
V2_PAGE = 100


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


class AffinitySource:
    objects: tuple[str, ...] = ("persons", "organizations")

    def __init__(self, endpoint: Endpoint, api_key: str, budget: Budget, policy: RetryPolicy) -> None:
        basic = "Basic " + base64.b64encode(f":{api_key}".encode()).decode()
        bearer = f"Bearer {api_key}"
        self.api = RemoteApi(
            endpoint, lambda path: bearer if path.startswith("/v2/") else basic, budget, policy, label="Affinity"
        )

    def page_size(self, object_name: str) -> int:
        return V1_PAGE if object_name == "persons" else V2_PAGE

    def page(self, object_name: str, cursor: str | None, limit: int) -> SourcePage:
        if object_name == "persons":
            body = self.api.call(
                "GET", "/persons", kind="read", query={"page_size": min(limit, V1_PAGE), "page_token": cursor}
            ).body
            return SourcePage([_person(item) for item in body.get("persons", [])], body.get("next_page_token"))
        if object_name == "organizations":
            body = self.api.call(
                "GET", "/v2/companies", kind="read", query={"limit": min(limit, V2_PAGE), "cursor": cursor}
            ).body
            next_url = (body.get("pagination") or {}).get("nextUrl")
            next_cursor = parse_qs(urlsplit(next_url).query).get("cursor", [None])[0] if next_url else None
            return SourcePage([_company(item) for item in body.get("data", [])], next_cursor)
        raise ValueError(f"unknown Affinity object {object_name!r}")

    def get(self, object_name: str, record_id: str) -> SourceRecord | None:
        path = f"/persons/{record_id}" if object_name == "persons" else f"/v2/companies/{record_id}"
        try:
            body = self.api.call("GET", path, kind="read").body
        except RemoteRejected as error:
            if error.status == 404:
                return None
            raise
        return _person(body) if object_name == "persons" else _company(body)

    def count(self, object_name: str) -> int | None:
        return None  # Affinity's lists do not say how long they are: the plan pages through

    def probe(self) -> Probe:
        try:
            self.api.call("GET", "/v2/auth/whoami", kind="read")
        except RemoteRejected as error:
            return Probe(False, "UNAUTHORIZED" if error.status in (401, 403) else "API_ERROR", error.reason)
        return Probe(True)

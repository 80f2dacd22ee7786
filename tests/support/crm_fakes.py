"""Local fakes of the Affinity and Attio APIs, over real HTTP on 127.0.0.1.

Written from the public API references, and strict: a request with a wrong path, auth scheme,
query parameter or body answers the error the real API would (401, 404, 400/422), so a wrong
request fails the test instead of passing silently. Each fake keeps counts of what it got and
answered, and takes injected faults:

- ``limit_per_window`` / ``window_seconds``: the API's rate limit, answered with ``429`` and its
  real headers (Affinity: ``Retry-After`` in seconds and ``X-Ratelimit-Limit-User*``; Attio:
  ``Retry-After`` as an HTTP date);
- ``storm(n)``: the next ``n`` requests get ``429``; ``fail_next(n, status)``: a ``5xx`` burst;
- ``slow(path_prefix, seconds)``: one slow answer; ``latency``: seconds added to every call;
- Attio ``reject(predicate)``: a record the target refuses with a ``400`` and a reason.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class _Refused(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self.status, self.body, self.headers = status, body, headers or {}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class FakeApi:
    """The HTTP plumbing, counters and faults both fakes share."""

    name = "api"

    def __init__(self, *, limit_per_window: int | None = None, window_seconds: float = 1.0) -> None:
        self.lock = threading.Lock()
        self.limit_per_window = limit_per_window
        self.window_seconds = window_seconds
        self.latency = 0.0
        self.requests = 0
        self.throttled = 0
        self.failed = 0
        self.bad_requests = 0
        self.not_found = 0
        self.seen_paths: list[str] = []
        self._windows: dict[tuple[str, int], int] = {}
        self._storm: list[str] = []
        self._failures: list[int] = []
        self._slow: list[tuple[str, float]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.sockets: set[Any] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle
    def start(self) -> FakeApi:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                return

            def setup(self) -> None:
                super().setup()
                # Answer at once: without this, Nagle holds the body behind the headers until the
                # client's delayed ACK (40 ms a response on Linux), as no real API server does.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with fake.lock:
                    fake.sockets.add(self.connection)

            def finish(self) -> None:
                with fake.lock:
                    fake.sockets.discard(self.connection)
                super().finish()

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body, headers = fake.handle(method, self.path, dict(self.headers.items()), raw)
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self._headers_buffer.append(b"\r\n")  # headers and body in one write
                self._headers_buffer.append(data)
                self.flush_headers()

            def do_GET(self) -> None:
                self._serve("GET")

            def do_PUT(self) -> None:
                self._serve("PUT")

            def do_POST(self) -> None:
                self._serve("POST")

            def do_DELETE(self) -> None:
                self._serve("DELETE")

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"fake-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and drop every kept-alive connection, as a server that went away does."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            with self.lock:
                for sock in list(self.sockets):
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stats(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "throttled": self.throttled,
            "failed": self.failed,
            "bad_requests": self.bad_requests,
            "max_in_flight": self.max_in_flight,
        }

    # ---- faults
    def storm(self, count: int, retry_after: float = 1.0) -> None:
        with self.lock:
            self._storm.extend([str(retry_after)] * count)

    def fail_next(self, count: int, status: int = 503) -> None:
        with self.lock:
            self._failures.extend([status] * count)

    def slow(self, path_prefix: str, seconds: float) -> None:
        with self.lock:
            self._slow.append((path_prefix, seconds))

    # ---- the request path
    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> tuple[int, Any, dict[str, str]]:
        parts = urlsplit(target)
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if len(self.seen_paths) < 50_000:
                self.seen_paths.append(f"{method} {parts.path}")
            slow = next((s for s in self._slow if parts.path.startswith(s[0])), None)
            if slow is not None:
                self._slow.remove(slow)
        if parts.path == "/__stats":  # the fake's own counters, for a benchmark that runs it in another process
            with self.lock:
                self.in_flight -= 1
            return 200, self.stats(), {}
        try:
            delay = self.latency + (slow[1] if slow else 0.0)
            if delay:
                time.sleep(delay)
            try:
                self.authenticate(parts.path, headers)
                self.check_fault_and_limit(method, parts.path)
                query = {key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
                body = json.loads(raw) if raw else None
                status, answer = self.route(method, parts.path, query, body)
                return status, answer, self.ok_headers(method, parts.path)
            except _Refused as refused:
                with self.lock:
                    if refused.status == 429:
                        self.throttled += 1
                    elif refused.status >= 500:
                        self.failed += 1
                    elif refused.status in (400, 422):
                        self.bad_requests += 1
                    elif refused.status == 404:
                        self.not_found += 1
                return refused.status, refused.body, refused.headers
            except (ValueError, KeyError, TypeError) as error:
                with self.lock:
                    self.bad_requests += 1
                return 400, self.error_body(400, f"malformed request: {type(error).__name__}"), {}
        finally:
            with self.lock:
                self.in_flight -= 1

    def check_fault_and_limit(self, method: str, path: str) -> None:
        with self.lock:
            if self._storm:
                seconds = float(self._storm.pop(0))
                raise _Refused(429, self.error_body(429, "Too many requests"), self.throttle_headers(seconds))
            if self._failures:
                status = self._failures.pop(0)
                raise _Refused(status, self.error_body(status, "Internal error"))
            limit = self.limit_for(method, path)
            if limit is None:
                return
            kind = self.kind_of(method, path)
            now = time.time()
            window = int(now // self.window_seconds)
            used = self._windows.get((kind, window), 0)
            if used >= limit:
                wait = (window + 1) * self.window_seconds - now
                raise _Refused(429, self.error_body(429, "Rate limit exceeded"), self.throttle_headers(wait))
            self._windows[(kind, window)] = used + 1

    # ---- per API
    def kind_of(self, method: str, path: str) -> str:
        return "all"

    def limit_for(self, method: str, path: str) -> int | None:
        return self.limit_per_window

    def authenticate(self, path: str, headers: dict[str, str]) -> None:
        raise NotImplementedError

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        raise NotImplementedError

    def ok_headers(self, method: str, path: str) -> dict[str, str]:
        return {}

    def throttle_headers(self, seconds: float) -> dict[str, str]:
        raise NotImplementedError

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        return {"message": message}


def _only(query: dict[str, str], allowed: set[str]) -> None:
    unknown = set(query) - allowed
    if unknown:
        raise _Refused(422, {"errors": [{"code": "validation", "message": f"unknown parameter {sorted(unknown)[0]}"}]})


def _int_param(query: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    if name not in query:
        return default
    text = query[name]
    if not text.isdigit() or not low <= int(text) <= high:
        raise _Refused(422, {"errors": [{"code": "validation", "message": f"{name} must be {low}..{high}"}]})
    return int(text)


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _offset(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        assert text.startswith("o:")
        return int(text[2:])
    except Exception:
        raise _Refused(422, {"errors": [{"code": "validation", "message": "invalid page token"}]}) from None


class FakeAffinity(FakeApi):
    """Affinity: v1 ``/persons`` (Basic auth, ``page_size`` <= 500, ``page_token``) and v2
    ``/v2/companies``, ``/v2/opportunities`` and ``/v2/lists/{listId}/list-entries`` (Bearer,
    ``limit`` <= 100, ``cursor``, ``pagination.nextUrl``); 900 requests a minute per user by default."""

    name = "affinity"

    def __init__(self, api_key: str, *, limit_per_window: int | None = 900, window_seconds: float = 60.0) -> None:
        super().__init__(limit_per_window=limit_per_window, window_seconds=window_seconds)
        self.api_key = api_key
        self.persons: list[dict[str, Any]] = []
        self.organizations: list[dict[str, Any]] = []
        self._person_index: dict[str, dict[str, Any]] = {}
        self._org_index: dict[str, dict[str, Any]] = {}
        self.opportunities: list[dict[str, Any]] = []
        self.lists: dict[str, list[dict[str, Any]]] = {}
        """List id -> its entries as v2 answers them (``id``, ``type``, ``listId``, ``entity``, ...)."""
        self.notes: list[dict[str, Any]] = []
        """v1 notes: ``id``, ``creator_id``, ``person_ids``, ``associated_person_ids``,
        ``interaction_person_ids``, ``mentioned_person_ids``, ``organization_ids``,
        ``opportunity_ids``, ``interaction_id``, ``interaction_type``, ``is_meeting``,
        ``parent_id``, ``type`` (0 plain text, 2 HTML, 3 AI summary), ``content``, ``created_at``,
        ``updated_at``."""

    def load_opportunities(self, opportunities: list[dict[str, Any]]) -> None:
        """v2's basic opportunities: ``{"id", "name", "listId"}``."""
        self.opportunities = opportunities

    def load_list(self, list_id: int, entries: list[dict[str, Any]]) -> None:
        self.lists[str(list_id)] = [{**entry, "listId": list_id} for entry in entries]

    def load_notes(self, notes: list[dict[str, Any]]) -> None:
        """Notes as v1 answers them; lists the caller leaves out are empty, ``person_ids`` is the
        union of the associated and interaction persons, as Affinity documents it."""
        made = []
        for note in notes:
            full = {
                "creator_id": 1,
                "associated_person_ids": [],
                "interaction_person_ids": [],
                "mentioned_person_ids": [],
                "organization_ids": [],
                "opportunity_ids": [],
                "interaction_id": None,
                "interaction_type": None,
                "is_meeting": False,
                "parent_id": None,
                "type": 0,
                "updated_at": None,
                **note,
            }
            full["person_ids"] = sorted(set(full["associated_person_ids"]) | set(full["interaction_person_ids"]))
            made.append(full)
        self.notes = made

    def _notes(self, query: dict[str, str]) -> tuple[int, Any]:
        """v1 ``GET /notes``: all notes, or those of one person, organization, opportunity or creator
        (one filter at a time), ``page_size`` up to 500 and ``page_token``."""
        filters = {
            "person_id": "person_ids",
            "organization_id": "organization_ids",
            "opportunity_id": "opportunity_ids",
        }
        _only(query, {*filters, "creator_id", "page_size", "page_token"})
        given = [name for name in (*filters, "creator_id") if name in query]
        if len(given) > 1:
            raise _Refused(
                422,
                {
                    "errors": [
                        {
                            "code": "validation",
                            "message": "only one of person_id, organization_id, opportunity_id or creator_id",
                        }
                    ]
                },
            )
        chosen = self.notes
        if given:
            name = given[0]
            wanted = _int_param(query, name, 0, 1, 10**18)
            if name == "creator_id":
                chosen = [note for note in chosen if note["creator_id"] == wanted]
            else:
                chosen = [note for note in chosen if wanted in note[filters[name]]]
        size = _int_param(query, "page_size", 500, 1, 500)
        start = _offset(query["page_token"]) if "page_token" in query else 0
        more = start + size < len(chosen)
        return 200, {"notes": chosen[start : start + size], "next_page_token": _token(start + size) if more else None}

    def _v2_collection(self, path: str, query: dict[str, str], items: list[dict[str, Any]]) -> tuple[int, Any]:
        _only(query, {"limit", "cursor"})
        size = _int_param(query, "limit", 100, 1, 100)
        start = _offset(query["cursor"]) if "cursor" in query else 0
        more = start + size < len(items)
        next_url = f"{self.base_url}{path}?cursor={_token(start + size)}&limit={size}" if more else None
        return 200, {"data": items[start : start + size], "pagination": {"prevUrl": None, "nextUrl": next_url}}

    def load(self, persons: list[dict[str, Any]], organizations: list[dict[str, Any]]) -> None:
        self.persons, self.organizations = persons, organizations
        self._person_index = {str(p["id"]): p for p in persons}
        self._org_index = {str(o["id"]): o for o in organizations}

    def authenticate(self, path: str, headers: dict[str, str]) -> None:
        given = headers.get("Authorization", "")
        if path.startswith("/v2/"):
            ok = given == f"Bearer {self.api_key}"
        else:
            expected = "Basic " + base64.b64encode(f":{self.api_key}".encode()).decode()
            ok = given == expected
        if not ok:
            raise _Refused(401, {"message": "Unauthorized"})

    def throttle_headers(self, seconds: float) -> dict[str, str]:
        whole = str(max(1, int(seconds + 0.999)))
        return {
            "Retry-After": whole,
            "X-Ratelimit-Limit-User": str(self.limit_per_window or 900),
            "X-Ratelimit-Limit-User-Remaining": "0",
            "X-Ratelimit-Limit-User-Reset": whole,
        }

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if method != "GET":
            raise _Refused(405, {"message": "Method not allowed"})
        if path == "/v2/auth/whoami":
            return 200, {"tenant": {"id": 1, "name": "Fake"}, "user": {"id": 1}, "grant": {"type": "api-key"}}
        if path == "/persons":
            _only(query, {"page_size", "page_token"})
            size = _int_param(query, "page_size", 500, 1, 500)
            start = _offset(query["page_token"]) if "page_token" in query else 0
            items = self.persons[start : start + size]
            more = start + size < len(self.persons)
            return 200, {"persons": items, "next_page_token": _token(start + size) if more else None}
        if path == "/notes":
            return self._notes(query)
        match = re.fullmatch(r"/notes/(\d+)", path)
        if match:
            _only(query, set())
            note = next((n for n in self.notes if str(n["id"]) == match[1]), None)
            if note is None:
                raise _Refused(404, {"message": "Note not found"})
            return 200, note
        match = re.fullmatch(r"/persons/(\d+)", path)
        if match:
            person = self._person_index.get(match[1])
            if person is None:
                raise _Refused(404, {"message": "Person not found"})
            return 200, person
        if path == "/v2/companies":
            _only(query, {"limit", "cursor"})
            size = _int_param(query, "limit", 100, 1, 100)
            start = _offset(query["cursor"]) if "cursor" in query else 0
            items = [self._v2_company(o) for o in self.organizations[start : start + size]]
            more = start + size < len(self.organizations)
            next_url = f"{self.base_url}/v2/companies?cursor={_token(start + size)}&limit={size}" if more else None
            return 200, {"data": items, "pagination": {"prevUrl": None, "nextUrl": next_url}}
        if path == "/v2/opportunities":
            return self._v2_collection(path, query, self.opportunities)
        match = re.fullmatch(r"/v2/opportunities/(\d+)", path)
        if match:
            _only(query, set())
            found = next((o for o in self.opportunities if str(o["id"]) == match[1]), None)
            if found is None:
                raise _Refused(404, {"errors": [{"code": "not-found", "message": "Opportunity not found"}]})
            return 200, found
        match = re.fullmatch(r"/v2/lists/(\d+)/list-entries(?:/(\d+))?", path)
        if match:
            entries = self.lists.get(match[1])
            if entries is None:
                raise _Refused(404, {"errors": [{"code": "not-found", "message": "List not found"}]})
            if match[2] is None:
                return self._v2_collection(path, query, entries)
            _only(query, set())
            entry = next((e for e in entries if str(e["id"]) == match[2]), None)
            if entry is None:
                raise _Refused(404, {"errors": [{"code": "not-found", "message": "List entry not found"}]})
            return 200, entry
        match = re.fullmatch(r"/v2/companies/(\d+)", path)
        if match:
            org = self._org_index.get(match[1])
            if org is None:
                raise _Refused(404, {"errors": [{"code": "not-found", "message": "Company not found"}]})
            return 200, self._v2_company(org)
        raise _Refused(404, {"message": "Not found"})

    @staticmethod
    def _v2_company(org: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": org["id"],
            "name": org["name"],
            "domain": org.get("domain"),
            "domains": org.get("domains", []),
            "isGlobal": org.get("global", False),
            "fields": [],
        }


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")

ATTIO_SCHEMA: dict[str, dict[str, dict[str, Any]]] = {
    "people": {
        "name": {"type": "personal-name", "unique": False},
        "email_addresses": {"type": "email-address", "unique": True, "multi": True},
        "company": {"type": "record-reference", "unique": False, "target": "companies"},
        "job_title": {"type": "text", "unique": False},
        "affinity_id": {"type": "text", "unique": True},
    },
    "companies": {
        "name": {"type": "text", "unique": False},
        "domains": {"type": "domain", "unique": True, "multi": True},
        "affinity_id": {"type": "text", "unique": True},
    },
    # Attio's deals, with the unique text attribute affinity_id a workspace adds for the move.
    "deals": {
        "name": {"type": "text", "unique": False},
        "affinity_id": {"type": "text", "unique": True},
        "associated_company": {"type": "record-reference", "unique": False, "target": "companies"},
    },
    # A custom object a list's entries can be moved to (named in the job's mapping).
    "portfolio": {
        "name": {"type": "text", "unique": False},
        "entry_id": {"type": "text", "unique": True},
        "company": {"type": "record-reference", "unique": False, "target": "companies"},
        "added_at": {"type": "text", "unique": False},
    },
}


class FakeAttio(FakeApi):
    """Attio v2: assert (``PUT /v2/objects/{object}/records?matching_attribute=``), query, ``/v2/self``;
    100 reads and 25 writes a second by default, ``429`` with ``Retry-After`` as an HTTP date."""

    name = "attio"

    def __init__(self, token: str, *, reads_per_second: int | None = 100, writes_per_second: int | None = 25) -> None:
        super().__init__(limit_per_window=None, window_seconds=1.0)
        self.token = token
        self.reads_per_second, self.writes_per_second = reads_per_second, writes_per_second
        self.workspace_id = str(uuid.uuid4())
        self.records: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in ATTIO_SCHEMA}
        self._unique: dict[tuple[str, str, str], str] = {}
        self.created = 0
        self.changed = 0
        self.unchanged = 0
        self._rejects: list[Callable[[str, dict[str, Any]], str | None]] = []
        self.notes: dict[str, dict[str, Any]] = {}
        """Note id -> the note as Attio answers it (notes are immutable: created, never updated)."""

    def reject(self, predicate: Callable[[str, dict[str, Any]], str | None]) -> None:
        """``predicate(object, values)`` returns a reason to refuse the write (or None)."""
        self._rejects.append(predicate)

    def authenticate(self, path: str, headers: dict[str, str]) -> None:
        if headers.get("Authorization", "") != f"Bearer {self.token}":
            raise _Refused(401, self.error_body(401, "Authentication failed"))

    def kind_of(self, method: str, path: str) -> str:
        return "read" if method == "GET" or path.endswith("/records/query") else "write"

    def limit_for(self, method: str, path: str) -> int | None:
        return self.reads_per_second if self.kind_of(method, path) == "read" else self.writes_per_second

    def throttle_headers(self, seconds: float) -> dict[str, str]:
        when = datetime.fromtimestamp(int(time.time() + seconds + 0.999), UTC)
        return {"Retry-After": format_datetime(when, usegmt=True)}

    def error_body(self, status: int, message: str) -> dict[str, Any]:
        kinds = {401: "auth_error", 429: "invalid_request_error"}
        codes = {401: "unauthorized", 404: "not_found", 429: "rate_limit_exceeded"}
        return {
            "status_code": status,
            "type": kinds.get(status, "invalid_request_error"),
            "code": codes.get(status, "validation_type"),
            "message": message,
        }

    def _bad(self, message: str) -> _Refused:
        return _Refused(400, self.error_body(400, message))

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        if path == "/v2/self" and method == "GET":
            return 200, {"active": True, "workspace_id": self.workspace_id, "scope": "record_permission:read-write"}
        if path == "/v2/notes" and method == "POST":
            _only(query, set())
            return 200, {"data": self._create_note(body)}
        if path == "/v2/notes" and method == "GET":
            return 200, {"data": self._list_notes(query)}
        match = re.fullmatch(r"/v2/objects/([a-z_]+)/records(/query)?", path)
        if match is None or match[1] not in self.records:
            raise _Refused(404, self.error_body(404, "Object not found"))
        object_name = match[1]
        if match[2] and method == "POST":
            _only(query, set())
            return 200, {"data": self._query(object_name, body or {})}
        if not match[2] and method == "PUT":
            _only(query, {"matching_attribute"})
            if "matching_attribute" not in query:
                raise self._bad("matching_attribute is required")
            return 200, {"data": self._assert(object_name, query["matching_attribute"], body)}
        raise _Refused(404, self.error_body(404, "Route not found"))

    # ---- values
    def _normalise(self, object_name: str, attribute: str, value: Any) -> list[Any]:
        spec = ATTIO_SCHEMA[object_name].get(attribute)
        if spec is None:
            raise self._bad(f'Cannot find attribute with slug/ID "{attribute}".')
        items = value if isinstance(value, list) else [value]
        if not spec.get("multi") and len(items) > 1:
            raise self._bad(f'Attribute "{attribute}" accepts a single value.')
        kind = spec["type"]
        out: list[Any] = []
        for item in items:
            if kind == "email-address":
                text = item["email_address"] if isinstance(item, dict) else item
                if not isinstance(text, str) or not _EMAIL.match(text):
                    raise self._bad(f'Invalid email address for attribute "{attribute}".')
                out.append(text.lower())
            elif kind == "domain":
                text = item["domain"] if isinstance(item, dict) else item
                if not isinstance(text, str) or not _DOMAIN.match(text.lower()):
                    raise self._bad(f'Invalid domain for attribute "{attribute}".')
                out.append(text.lower())
            elif kind == "personal-name":
                if not isinstance(item, dict) or not {"first_name", "last_name", "full_name"} <= set(item):
                    raise self._bad("personal-name values need first_name, last_name and full_name.")
                out.append({key: item[key] for key in ("first_name", "last_name", "full_name")})
            elif kind == "record-reference":
                if not isinstance(item, dict) or item.get("target_object") != spec["target"]:
                    raise self._bad(f'Attribute "{attribute}" references {spec["target"]} records.')
                if item.get("target_record_id") not in self.records[spec["target"]]:
                    raise self._bad(f'Referenced record for "{attribute}" does not exist.')
                out.append({"target_object": spec["target"], "target_record_id": item["target_record_id"]})
            else:
                if not isinstance(item, str | int | float):
                    raise self._bad(f'Invalid value for attribute "{attribute}".')
                out.append(str(item))
        return out

    def _assert(self, object_name: str, matching: str, body: Any) -> dict[str, Any]:
        spec = ATTIO_SCHEMA[object_name].get(matching)
        if spec is None:
            raise self._bad(f'Cannot find attribute with slug/ID "{matching}".')
        if not spec["unique"]:
            raise self._bad(f'The matching attribute "{matching}" must be unique.')
        if not isinstance(body, dict) or set(body) != {"data"} or set(body["data"]) != {"values"}:
            raise self._bad("Body must be {data: {values: {...}}}.")
        raw_values = body["data"]["values"]
        if not isinstance(raw_values, dict):
            raise self._bad("values must be an object.")
        values = {attribute: self._normalise(object_name, attribute, value) for attribute, value in raw_values.items()}
        if not values.get(matching):
            raise self._bad(f'A value for the matching attribute "{matching}" is required.')
        for predicate in self._rejects:
            reason = predicate(object_name, values)
            if reason:
                raise self._bad(reason)
        with self.lock:
            found = {self._unique.get((object_name, matching, self._key(v))) for v in values[matching]} - {None}
            if len(found) > 1:
                raise self._bad("The matching values belong to more than one record.")
            for attribute, items in values.items():  # another unique attribute may not point elsewhere
                if ATTIO_SCHEMA[object_name][attribute]["unique"]:
                    for item in items:
                        owner = self._unique.get((object_name, attribute, self._key(item)))
                        if owner is not None and owner not in found:
                            raise self._bad(f'A record with this "{attribute}" value exists.')
            if found:
                record_id = str(next(iter(found)))
                record = self.records[object_name][record_id]
                merged = {**record["values"], **values}
                if merged == record["values"]:
                    self.unchanged += 1
                else:
                    self.changed += 1
                    record["values"] = merged
            else:
                record_id = str(uuid.uuid4())
                record = {"record_id": record_id, "created_at": datetime.now(UTC).isoformat(), "values": values}
                self.records[object_name][record_id] = record
                self.created += 1
            for attribute, items in values.items():
                if ATTIO_SCHEMA[object_name][attribute]["unique"]:
                    for item in items:
                        self._unique[(object_name, attribute, self._key(item))] = record_id
            return self._shown(object_name, record)

    @staticmethod
    def _key(value: Any) -> str:
        return json.dumps(value, sort_keys=True)

    _NOTE_FIELDS = {"parent_object", "parent_record_id", "title", "format", "content", "created_at", "meeting_id"}

    def _create_note(self, body: Any) -> dict[str, Any]:
        """``POST /v2/notes``: ``{"data": {parent_object, parent_record_id, title, format, content,
        created_at?, meeting_id?}}``; the parent record must exist, ``format`` is plaintext or markdown."""
        if not isinstance(body, dict) or set(body) != {"data"} or not isinstance(body["data"], dict):
            raise self._bad("Body must be {data: {...}}.")
        data = body["data"]
        unknown = set(data) - self._NOTE_FIELDS
        if unknown:
            raise self._bad(f"Unrecognized key in data: {sorted(unknown)[0]}.")
        for required in ("parent_object", "parent_record_id", "title", "format", "content"):
            if not isinstance(data.get(required), str):
                raise self._bad(f"data.{required} is required and must be a string.")
        if data["format"] not in ("plaintext", "markdown"):
            raise self._bad('data.format must be "plaintext" or "markdown".')
        if "\n" in data["title"]:
            raise self._bad("data.title is plaintext on one line.")
        parent_object = data["parent_object"]
        if parent_object not in self.records:
            raise _Refused(404, self.error_body(404, "Object not found"))
        for predicate in self._rejects:
            reason = predicate("notes", data)
            if reason:
                raise self._bad(reason)
        with self.lock:
            if data["parent_record_id"] not in self.records[parent_object]:
                raise _Refused(404, self.error_body(404, "Parent record not found"))
            note_id = str(uuid.uuid4())
            note = {
                "id": {"workspace_id": self.workspace_id, "note_id": note_id},
                "parent_object": parent_object,
                "parent_record_id": data["parent_record_id"],
                "title": data["title"],
                "content_plaintext": data["content"],
                "content_markdown": data["content"],
                "format": data["format"],
                "tags": [],
                "created_by_actor": {"type": "api-token", "id": None},
                "created_at": data.get("created_at") or datetime.now(UTC).isoformat(),
            }
            self.notes[note_id] = note
            return note

    def _list_notes(self, query: dict[str, str]) -> list[dict[str, Any]]:
        """``GET /v2/notes``: ``limit`` up to 50 (10 by default), ``offset``, and ``parent_object``
        with ``parent_record_id`` to list one record's notes, oldest first."""
        _only(query, {"limit", "offset", "parent_object", "parent_record_id"})
        if "parent_record_id" in query and "parent_object" not in query:
            raise self._bad("parent_record_id needs parent_object.")
        limit = _int_param(query, "limit", 10, 1, 50)
        offset = _int_param(query, "offset", 0, 0, 10**9)
        with self.lock:
            chosen = [
                note
                for note in self.notes.values()
                if note["parent_object"] == query.get("parent_object", note["parent_object"])
                and note["parent_record_id"] == query.get("parent_record_id", note["parent_record_id"])
            ]
            return chosen[offset : offset + limit]

    def _shown(self, object_name: str, record: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, list[dict[str, Any]]] = {}
        for attribute, items in record["values"].items():
            kind = ATTIO_SCHEMA[object_name][attribute]["type"]
            shown = []
            for item in items:
                if kind == "email-address":
                    shown.append({"email_address": item, "attribute_type": kind})
                elif kind == "domain":
                    shown.append({"domain": item, "attribute_type": kind})
                elif isinstance(item, dict):
                    shown.append({**item, "attribute_type": kind})
                else:
                    shown.append({"value": item, "attribute_type": kind})
            values[attribute] = shown
        return {
            "id": {"workspace_id": self.workspace_id, "object_id": object_name, "record_id": record["record_id"]},
            "created_at": record["created_at"],
            "web_url": f"https://app.attio.com/fake/{object_name}/{record['record_id']}",
            "values": values,
        }

    def _query(self, object_name: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        if set(body) - {"filter", "limit", "offset", "sorts"}:
            raise self._bad("Unknown body field.")
        limit = body.get("limit", 500)
        if not isinstance(limit, int) or not 1 <= limit <= 500:
            raise self._bad("limit must be 1..500")
        raw = body.get("filter") or {}
        clauses = raw["$or"] if "$or" in raw else [raw] if raw else []
        wanted: list[tuple[str, str]] = []
        for clause in clauses:
            if not isinstance(clause, dict) or len(clause) != 1:
                raise self._bad("Each filter clause is one attribute: value.")
            attribute, value = next(iter(clause.items()))
            if attribute not in ATTIO_SCHEMA[object_name]:
                raise self._bad(f'Cannot find attribute with slug/ID "{attribute}".')
            wanted.append((attribute, self._key(str(value).lower())))
        with self.lock:
            if not wanted:
                chosen = list(self.records[object_name].values())
            else:
                ids = {self._unique.get((object_name, a, v)) for a, v in wanted} - {None}
                chosen = [self.records[object_name][str(i)] for i in ids]
            offset = int(body.get("offset", 0))
            return [self._shown(object_name, r) for r in chosen[offset : offset + limit]]

    def stats(self) -> dict[str, Any]:
        with self.lock:
            records = {name: len(found) for name, found in self.records.items()}
        return {
            **super().stats(),
            "records": records,
            "created": self.created,
            "changed": self.changed,
            "notes": len(self.notes),
        }

    def people_by_email(self) -> dict[str, dict[str, Any]]:
        with self.lock:
            return {
                r["values"]["email_addresses"][0]: r
                for r in self.records["people"].values()
                if r["values"].get("email_addresses")
            }

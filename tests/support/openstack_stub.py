"""A recording stub of Keystone, Nova and Heat, enough of each for openstacksdk's power actions.

Why a stub here when the suite runs a real Keystone and nova-api: a Nova without a compute host
never runs an instance, so nothing could be started, stopped or suspended, and Heat is not on
these machines. The stub speaks real HTTP on 127.0.0.1 (a free port) and answers what the SDK
really sends, recording every request (method, path, query, body) for the tests to assert:

- Keystone v3: version discovery and ``POST /v3/auth/tokens`` (password), whose catalog points
  ``compute`` at ``/compute/v2.1`` and ``orchestration`` at ``/heat/v1/<project>`` on the stub
  itself; service calls without a token it issued are ``401``.
- Nova: ``GET /servers/{id}``, ``POST /servers/{id}/action`` (``os-start``, ``os-stop``,
  ``suspend``, ``resume``; refused with ``409`` in a state Nova refuses them), ``DELETE
  /servers/{id}``.
- Heat: ``GET /stacks/{id}`` (or ``{name}/{id}``), ``POST /stacks/{id}/actions`` (``suspend``,
  ``resume``), ``DELETE /stacks/{id}``.

State changes are scripted: an accepted action puts the resource in its transitional state for
``polls`` reads, then in ``final`` (by default the state the action aims at; a test can make it
an ERROR with a fault, a ``*_FAILED`` stack with a reason, or never arrive with a huge
``polls``). A deleted resource answers ``404``; ``fail_next`` answers service calls ``503``.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PROJECT_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
USER_ID = "9a8b7c6d5e4f30211203f4e5d6c7b8a9"
USERNAME = "demo"
PASSWORD = "stub-password-not-a-secret"

# What Nova does with each action: the task state while it works, and where it ends.
SERVER_ACTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "os-start": ("powering-on", {"status": "ACTIVE"}),
    "os-stop": ("powering-off", {"status": "SHUTOFF"}),
    "suspend": ("suspending", {"status": "SUSPENDED"}),
    "resume": ("resuming", {"status": "ACTIVE"}),
    "delete": ("deleting", {"deleted": True}),
}
# The states Nova accepts each action in (others are a 409 conflictingRequest).
SERVER_ALLOWED = {
    "os-start": {"SHUTOFF"},
    "os-stop": {"ACTIVE", "ERROR"},
    "suspend": {"ACTIVE", "SHUTOFF"},
    "resume": {"SUSPENDED"},
}
STACK_ACTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "suspend": ("SUSPEND_IN_PROGRESS", {"status": "SUSPEND_COMPLETE"}),
    "resume": ("RESUME_IN_PROGRESS", {"status": "RESUME_COMPLETE"}),
    "delete": ("DELETE_IN_PROGRESS", {"deleted": True}),
}


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int = 0


@dataclass
class Script:
    """What an accepted action does: ``polls`` reads in transition, then ``final``."""

    polls: int = 1
    final: dict[str, Any] | None = None


@dataclass
class Resource:
    id: str
    name: str
    status: str
    task_state: str | None = None
    fault: dict[str, Any] | None = None
    reason: str = ""
    deleted: bool = False
    scripts: dict[str, Script] = field(default_factory=dict)
    pending: list[dict[str, Any]] = field(default_factory=list)
    stale_reads: int = 0
    """Answer that many reads with the state from before the last action (a read that raced it)."""
    before: dict[str, Any] = field(default_factory=dict)
    flavor: str = "m1.small"
    """A server's flavor, shown as Nova 2.47+ embeds it (``original_name``)."""

    def settle(self) -> None:
        """One read's worth of time: the next scripted state, if any."""
        if self.pending:
            change = self.pending.pop(0)
            for key, value in change.items():
                setattr(self, key, value)


@dataclass
class StubState:
    servers: dict[str, Resource] = field(default_factory=dict)
    stacks: dict[str, Resource] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    fail_next: int = 0
    """Answer that many Nova and Heat calls with 503, as a cloud having a bad moment."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def server(self, status: str = "ACTIVE", name: str = "vm", **scripts: Script) -> Resource:
        resource = Resource(str(uuid.uuid4()), name, status, scripts=dict(scripts))
        self.servers[resource.id] = resource
        return resource

    def stack(self, status: str = "CREATE_COMPLETE", name: str = "rack", **scripts: Script) -> Resource:
        resource = Resource(str(uuid.uuid4()), name, status, scripts=dict(scripts))
        self.stacks[resource.id] = resource
        return resource

    def calls(self, method: str | None = None, prefix: str = "") -> list[Recorded]:
        """The recorded requests, optionally of one method and under one path prefix."""
        with self.lock:
            return [r for r in self.requests if (method is None or r.method == method) and r.path.startswith(prefix)]


def _begin(resource: Resource, action: str, transitional: dict[str, Any], final: dict[str, Any]) -> None:
    script = resource.scripts.get(action, Script())
    resource.before = {"status": resource.status, "task_state": resource.task_state}
    end = dict(script.final if script.final is not None else final)
    resource.pending = [transitional] * script.polls + [end]
    resource.settle()


def _server_body(server: Resource) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": server.id,
        "name": server.name,
        "status": server.status,
        "OS-EXT-STS:task_state": server.task_state,
        "OS-EXT-STS:vm_state": server.status.lower(),
        "tenant_id": PROJECT_ID,
        "user_id": USER_ID,
        "flavor": {"original_name": server.flavor, "vcpus": 1, "ram": 2048, "disk": 20},
        "links": [],
    }
    if server.fault:
        body["fault"] = server.fault
    return body


def _nova_names(state: dict[str, Any]) -> dict[str, Any]:
    return {"status": state["status"], "OS-EXT-STS:task_state": state["task_state"]}


def _stack_body(stack: Resource, base: str) -> dict[str, Any]:
    return {
        "id": stack.id,
        "stack_name": stack.name,
        "stack_status": stack.status,
        "stack_status_reason": stack.reason,
        "links": [{"href": f"{base}/heat/v1/{PROJECT_ID}/stacks/{stack.name}/{stack.id}", "rel": "self"}],
        "parameters": {},
        "outputs": [],
    }


_SERVER = re.compile(r"^/compute/v2\.1/servers/([^/]+)(/action)?$")
_STACK = re.compile(rf"^/heat/v1/{PROJECT_ID}/stacks/(?:[^/]+/)?([0-9a-f-]{{36}})(/actions)?$")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        record = Recorded(method, parts.path.rstrip("/") or "/", parse_qs(parts.query), body)
        with state.lock:
            state.requests.append(record)
            status, answer, headers = self._route(state, record)
            record.status = status
        self._answer(status, answer, headers)

    def _base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _route(self, state: StubState, r: Recorded) -> tuple[int, Any, dict[str, str]]:
        base = self._base()
        if r.path in ("/", "/identity") and r.method == "GET":
            return 300, {"versions": {"values": [_keystone_version(base)]}}, {}
        if r.path == "/v3" and r.method == "GET":
            return 200, {"version": _keystone_version(base)}, {}
        if r.path == "/v3/auth/tokens" and r.method == "POST":
            return self._issue_token(state, r, base)
        if r.path in ("/compute", "/compute/v2.1") and r.method == "GET":
            return 200, {"version": _compute_version(base)}, {}
        if r.path in ("/heat", f"/heat/v1/{PROJECT_ID}", "/heat/v1") and r.method == "GET":
            return 300, {"versions": [_heat_version(base)]}, {}
        if self.headers.get("X-Auth-Token") not in state.tokens:
            return 401, {"error": {"code": 401, "message": "The request you have made requires authentication."}}, {}
        if state.fail_next and (r.path.startswith("/compute/") or r.path.startswith("/heat/")):
            state.fail_next -= 1
            return 503, {"error": {"code": 503, "message": "Service Unavailable"}}, {}
        match = _SERVER.match(r.path)
        if match:
            return self._server_call(state, r, match.group(1), bool(match.group(2)))
        match = _STACK.match(r.path)
        if match:
            return self._stack_call(state, r, match.group(1), bool(match.group(2)), base)
        return 404, {"error": {"message": f"stub: no route for {r.method} {r.path}"}}, {}

    def _issue_token(self, state: StubState, r: Recorded, base: str) -> tuple[int, Any, dict[str, str]]:
        try:
            user = r.body["auth"]["identity"]["password"]["user"]
            ok = user.get("name", USERNAME) == USERNAME or user.get("id") == USER_ID
            ok = ok and user["password"] == PASSWORD
        except (KeyError, TypeError):
            ok = False
        if not ok:
            return 401, {"error": {"code": 401, "message": "The request you have made requires authentication."}}, {}
        token = uuid.uuid4().hex
        state.tokens.add(token)

        def endpoints(url: str) -> list[dict[str, str]]:
            return [
                {"id": uuid.uuid4().hex, "interface": kind, "region": "RegionOne", "region_id": "RegionOne", "url": url}
                for kind in ("public", "internal", "admin")
            ]

        body = {
            "token": {
                "methods": ["password"],
                "expires_at": "2099-01-01T00:00:00.000000Z",
                "issued_at": "2026-01-01T00:00:00.000000Z",
                "user": {"id": USER_ID, "name": USERNAME, "domain": {"id": "default", "name": "Default"}},
                "project": {"id": PROJECT_ID, "name": "demo", "domain": {"id": "default", "name": "Default"}},
                "roles": [{"id": "r1", "name": "member"}],
                "catalog": [
                    {"type": "identity", "name": "keystone", "id": "k", "endpoints": endpoints(f"{base}/v3")},
                    {"type": "compute", "name": "nova", "id": "n", "endpoints": endpoints(f"{base}/compute/v2.1")},
                    {
                        "type": "orchestration",
                        "name": "heat",
                        "id": "h",
                        "endpoints": endpoints(f"{base}/heat/v1/{PROJECT_ID}"),
                    },
                ],
            }
        }
        return 201, body, {"X-Subject-Token": token}

    def _server_call(
        self, state: StubState, r: Recorded, server_id: str, action: bool
    ) -> tuple[int, Any, dict[str, str]]:
        server = state.servers.get(server_id)
        if server is None or server.deleted:
            return 404, {"itemNotFound": {"code": 404, "message": "Instance could not be found."}}, {}
        if r.method == "GET" and not action:
            if server.stale_reads:
                server.stale_reads -= 1
                return 200, {"server": {**_server_body(server), **_nova_names(server.before)}}, {}
            body = _server_body(server)
            server.settle()
            return 200, {"server": body}, {}
        if r.method == "DELETE" and not action:
            transitional, final = SERVER_ACTIONS["delete"]
            _begin(server, "delete", {"task_state": transitional}, {**final, "task_state": None})
            return 204, None, {}
        if r.method == "POST" and action and isinstance(r.body, dict) and len(r.body) == 1:
            (name,) = r.body
            if name not in SERVER_ALLOWED:
                return 400, {"badRequest": {"code": 400, "message": f"stub: unknown action {name}"}}, {}
            if server.task_state is not None or server.status not in SERVER_ALLOWED[name]:
                message = f"Cannot '{name}' instance {server.id} while it is in vm_state {server.status.lower()}"
                return 409, {"conflictingRequest": {"code": 409, "message": message}}, {}
            transitional, final = SERVER_ACTIONS[name]
            _begin(server, name, {"task_state": transitional}, {**final, "task_state": None})
            return 202, None, {}
        return 400, {"badRequest": {"code": 400, "message": "stub: bad request"}}, {}

    def _stack_call(
        self, state: StubState, r: Recorded, stack_id: str, action: bool, base: str
    ) -> tuple[int, Any, dict[str, str]]:
        stack = state.stacks.get(stack_id)
        if stack is None or stack.deleted:
            return 404, {"code": 404, "title": "Not Found", "error": {"message": "The Stack could not be found."}}, {}
        if r.method == "GET" and not action:
            body = _stack_body(stack, base)
            stack.settle()
            return 200, {"stack": body}, {}
        if r.method == "DELETE" and not action:
            transitional, final = STACK_ACTIONS["delete"]
            _begin(stack, "delete", {"status": transitional}, final)
            return 204, None, {}
        if r.method == "POST" and action and isinstance(r.body, dict) and len(r.body) == 1:
            (name,) = r.body
            if name not in ("suspend", "resume"):
                return 400, {"code": 400, "error": {"message": f"stub: unknown action {name}"}}, {}
            if stack.status.endswith("_IN_PROGRESS"):
                return 409, {"code": 409, "error": {"message": f"Stack {stack.name} is {stack.status}"}}, {}
            transitional, final = STACK_ACTIONS[name]
            _begin(stack, name, {"status": transitional}, final)
            return 200, None, {}
        return 400, {"code": 400, "error": {"message": "stub: bad request"}}, {}

    def _answer(self, status: int, body: Any, headers: dict[str, str]) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _keystone_version(base: str) -> dict[str, Any]:
    return {
        "id": "v3.14",
        "status": "stable",
        "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": f"{base}/v3/"}],
        "media-types": [{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}],
    }


def _compute_version(base: str) -> dict[str, Any]:
    return {
        "id": "v2.1",
        "status": "CURRENT",
        "version": "2.95",
        "min_version": "2.1",
        "updated": "2013-07-23T11:33:21Z",
        "links": [{"rel": "self", "href": f"{base}/compute/v2.1/"}],
    }


def _heat_version(base: str) -> dict[str, Any]:
    return {"id": "v1.0", "status": "CURRENT", "links": [{"rel": "self", "href": f"{base}/heat/v1/"}]}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: StubState


class OpenStackStub:
    """Start with ``start()``, point a cloud at ``auth_url``, stop with ``stop()``."""

    def __init__(self) -> None:
        self.state = StubState()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self.state
        self._thread = threading.Thread(target=self._server.serve_forever, name="openstack-stub", daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def auth_url(self) -> str:
        return f"{self.base}/v3"

    def cloud(self) -> dict[str, Any]:
        """A clouds.yaml entry for this stub."""
        return {
            "auth": {
                "auth_url": self.auth_url,
                "username": USERNAME,
                "password": PASSWORD,
                "project_id": PROJECT_ID,
                "user_domain_name": "Default",
                "project_domain_name": "Default",
            },
            "region_name": "RegionOne",
            "interface": "public",
        }

    def start(self) -> OpenStackStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

"""Register nova-api in Keystone: the ``service`` project, the ``nova`` user (admin there), the
``compute`` service and its endpoints in RegionOne. Plain urllib, so any python3 runs it.

    python3 scripts/openstack/register_nova.py KEYSTONE_URL NOVA_URL

Passwords come from the environment (``KEYSTONE_ADMIN_PASSWORD``, ``NOVA_SERVICE_PASSWORD``), never
from the arguments. Running it twice is harmless: what exists is found and kept.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from typing import Any


def call(base: str, method: str, path: str, token: str | None, body: Any = None) -> tuple[Any, dict[str, str]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)  # noqa: S310 - http URLs of the caller
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback URLs given by the caller
        raw = response.read()
        return (json.loads(raw) if raw else None), dict(response.headers)


def main() -> None:
    keystone, nova_url = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/")
    if not keystone.endswith("/v3"):
        keystone += "/v3"
    auth = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": "admin",
                        "domain": {"id": "default"},
                        "password": os.environ["KEYSTONE_ADMIN_PASSWORD"],
                    }
                },
            },
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}},
        }
    }
    _, headers = call(keystone, "POST", "/auth/tokens", None, auth)
    token = headers["X-Subject-Token"]

    def find(kind: str, name: str, query: str = "name") -> str | None:
        found, _ = call(keystone, "GET", f"/{kind}?{query}={name}", token)
        items = found[kind]
        return items[0]["id"] if items else None

    project = find("projects", "service") or call(
        keystone, "POST", "/projects", token, {"project": {"name": "service", "domain_id": "default"}}
    )[0]["project"]["id"]
    password = os.environ["NOVA_SERVICE_PASSWORD"]
    user = find("users", "nova")
    if user is None:
        body = {"user": {"name": "nova", "password": password, "domain_id": "default"}}
        user = call(keystone, "POST", "/users", token, body)[0]["user"]["id"]
    admin = find("roles", "admin")
    call(keystone, "PUT", f"/projects/{project}/users/{user}/roles/{admin}", token)
    service = find("services", "compute", "type") or call(
        keystone, "POST", "/services", token, {"service": {"name": "nova", "type": "compute"}}
    )[0]["service"]["id"]
    existing, _ = call(keystone, "GET", f"/endpoints?service_id={service}", token)
    have = {endpoint["interface"] for endpoint in existing["endpoints"]}
    for interface in ("public", "internal", "admin"):
        if interface not in have:
            endpoint = {"service_id": service, "interface": interface, "url": nova_url, "region_id": "RegionOne"}
            call(keystone, "POST", "/endpoints", token, {"endpoint": endpoint})
    print(json.dumps({"project_id": project, "user_id": user, "service_id": service}))


if __name__ == "__main__":
    main()

"""Generated Affinity data for migration tests and benchmarks: organizations, and persons who work at them."""

from __future__ import annotations

from typing import Any


def organizations(count: int, first_id: int = 5_000_000) -> list[dict[str, Any]]:
    return [
        {
            "id": first_id + n,
            "name": f"Org {n}",
            "domain": f"org{n}.example",
            "domains": [f"org{n}.example"],
            "crunchbase_uuid": None,
            "global": False,
        }
        for n in range(count)
    ]


def persons(
    count: int, orgs: list[dict[str, Any]], *, no_email_every: int = 0, first_id: int = 1_000_000
) -> list[dict[str, Any]]:
    """Person ``n`` works at organization ``n % len(orgs)``; every ``no_email_every``-th has no email."""
    made = []
    for n in range(count):
        email = None if no_email_every and n % no_email_every == no_email_every - 1 else f"person{n}@mail.example"
        made.append(
            {
                "id": first_id + n,
                "type": 0,
                "first_name": f"First{n}",
                "last_name": f"Last{n}",
                "primary_email": email,
                "emails": [email] if email else [],
                "organization_ids": [orgs[n % len(orgs)]["id"]] if orgs else [],
            }
        )
    return made

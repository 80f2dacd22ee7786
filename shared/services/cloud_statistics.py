"""What a cloud credential can see at a glance: its project's limits, and counts of objects.

``limits`` is Concertim's ``/team/limits`` (the credential's own project: Nova's absolute
limits with their usage); ``statistics`` is its ``/statistics`` (servers, stacks, users and
projects the credential can see). A service the cloud does not run counts null and is named in
``missing``; one the credential may not list (a 403) counts null too, instead of failing it all.
"""

from __future__ import annotations

from typing import Any

from shared.models.cloud_compute import CloudLimits, CloudStatistics, LimitUsage
from shared.providers.openstack import classify
from shared.services.cloud_teams import catalog_types
from shared.services.clouds import CloudAccess

_USED = {
    "instances": "instances_used",
    "total_cores": "total_cores_used",
    "total_ram": "total_ram_used",
    "server_groups": "server_groups_used",
    "security_groups": "security_groups_used",
    "floating_ips": "floating_ips_used",
}
_LIMITS = (
    "instances",
    "total_cores",
    "total_ram",
    "keypairs",
    "server_groups",
    "server_group_members",
    "server_meta",
    "security_groups",
    "security_group_rules",
    "floating_ips",
)


def _limits(conn: Any) -> CloudLimits:
    absolute = conn.compute.get_limits().absolute
    compute: dict[str, LimitUsage] = {}
    for name in _LIMITS:
        limit = getattr(absolute, name, None)
        if isinstance(limit, int):
            used = getattr(absolute, _USED[name], None) if name in _USED else None
            compute[name] = LimitUsage(limit=limit, used=used if isinstance(used, int) else None)
    return CloudLimits(project_id=conn.current_project_id, compute=compute)


def _count(listing: Any) -> int | None:
    """Objects in a listing; None where the credential may not list them."""
    try:
        return sum(1 for _ in listing())
    except Exception as error:
        failure = classify(error)
        if failure is not None and failure.reason in ("FORBIDDEN", "NOT_FOUND"):
            return None
        raise


def _statistics(conn: Any) -> CloudStatistics:
    types = catalog_types(conn)
    missing = [name for name, kind in (("compute", "compute"), ("orchestration", "orchestration")) if kind not in types]
    servers = stacks = None
    if "compute" in types:
        servers = _count(lambda: conn.compute.servers(details=False, all_projects=True))
        if servers is None:
            servers = _count(lambda: conn.compute.servers(details=False))
    if "orchestration" in types:
        stacks = _count(lambda: conn.orchestration.stacks())
    return CloudStatistics(
        servers=servers,
        stacks=stacks,
        users=_count(lambda: conn.identity.users()),
        projects=_count(lambda: conn.identity.projects()),
        missing=missing,
    )


class CloudStatisticsService:
    def limits(self, access: CloudAccess) -> CloudLimits:
        return access.call(_limits)

    def statistics(self, access: CloudAccess) -> CloudStatistics:
        return access.call(_statistics)

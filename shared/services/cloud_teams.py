"""Teams of an OpenStack cloud: a Keystone project with a billing account.

Creating a team is three steps: the project in Keystone, its account through the tenant's
billing provider (``shared/billing/provider.py``), and the account's id as a tag on the project
(``billing-account:<id>``, so reading a team needs no second store). If a step fails, the steps
already done are undone in reverse (the account closed, the project deleted) and the first
failure is what the caller sees: no orphan project, no open orphan account. An undo that
itself fails is logged (``team_rollback_failed``) with what is left, never swallowed silently.

Deleting a team closes its account first, then deletes the project: closing is idempotent, so a
delete that failed half-way is finished by running it again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from shared.billing.provider import BillingProvider
from shared.errors import DomainError
from shared.logs import log_event
from shared.models.cloud_compute import TeamQuotas
from shared.models.cloud_identity import Team, TeamCreate, TeamList
from shared.services.clouds import CloudAccess

logger = logging.getLogger("cloudplane.clouds")

ACCOUNT_TAG = "billing-account:"

VOLUME_TYPES = ("block-storage", "volumev3", "volumev2", "volume")
NETWORK_TYPES = ("network",)


def account_of(project: Any) -> str | None:
    for tag in getattr(project, "tags", None) or []:
        if str(tag).startswith(ACCOUNT_TAG):
            return str(tag)[len(ACCOUNT_TAG) :]
    return None


def team_view(project: Any) -> Team:
    return Team(
        id=project.id,
        name=project.name,
        description=project.description or None,
        domain_id=project.domain_id,
        enabled=bool(project.is_enabled) if project.is_enabled is not None else True,
        billing_account_id=account_of(project),
    )


def catalog_types(connection: Any) -> set[str]:
    """The service types in the connection's catalog (from its token: no request)."""
    access = connection.session.auth.get_access(connection.session)
    return {str(service.get("type")) for service in access.service_catalog.catalog or []}


def _numbers(resource: Any) -> dict[str, int]:
    values = resource.to_dict(computed=False) if hasattr(resource, "to_dict") else dict(resource)
    return {
        key: value
        for key, value in values.items()
        if isinstance(value, int) and not isinstance(value, bool) and key not in ("id", "project_id")
    }


class CloudTeamsService:
    def __init__(self, billing: Callable[[str], BillingProvider]) -> None:
        self._billing = billing

    def create(self, access: CloudAccess, request: TeamCreate) -> Team:
        attrs: dict[str, Any] = {"name": request.name}
        if request.description is not None:
            attrs["description"] = request.description
        if request.domain_id is not None:
            attrs["domain_id"] = request.domain_id
        project = access.call(lambda conn: conn.identity.create_project(**attrs), "The team")
        undo: list[tuple[str, Callable[[], Any]]] = [
            ("delete_project", lambda: access.call(lambda conn: conn.identity.delete_project(project.id)))
        ]
        try:
            billing = self._billing(access.tenant_id)
            account = billing.open_account(access.tenant_id, owner_kind="team", owner_id=project.id, name=project.name)
            undo.append(("close_account", lambda: billing.close_account(access.tenant_id, account.id)))
            tagged = access.call(
                lambda conn: conn.identity.update_project(
                    project.id, tags=[*(project.tags or []), ACCOUNT_TAG + account.id]
                ),
                "The team",
            )
        except BaseException as error:
            self._roll_back(access, project.id, undo, error)
            raise
        log_event(
            logger,
            "team_created",
            tenant_id=access.tenant_id,
            cloud_id=access.cloud_id,
            team_id=project.id,
            billing_account_id=account.id,
        )
        return team_view(tagged)

    def _roll_back(
        self, access: CloudAccess, team_id: str, undo: list[tuple[str, Callable[[], Any]]], cause: BaseException
    ) -> None:
        left: list[str] = []
        for name, step in reversed(undo):
            try:
                step()
            except Exception as error:  # noqa: BLE001 - every undo is tried; what failed is reported
                left.append(name)
                code = error.code if isinstance(error, DomainError) else type(error).__name__
                log_event(logger, "team_rollback_step_failed", level=logging.ERROR, step=name, error=code)
        log_event(
            logger,
            "team_rollback_failed" if left else "team_rolled_back",
            level=logging.ERROR if left else logging.WARNING,
            tenant_id=access.tenant_id,
            cloud_id=access.cloud_id,
            team_id=team_id,
            cause=cause.code if isinstance(cause, DomainError) else type(cause).__name__,
            left=left,
        )

    def list(self, access: CloudAccess) -> TeamList:
        teams = access.call(lambda conn: [team_view(project) for project in conn.identity.projects()])
        return TeamList(items=sorted(teams, key=lambda team: (team.name, team.id)))

    def get(self, access: CloudAccess, team_id: str) -> Team:
        return team_view(access.call(lambda conn: conn.identity.get_project(team_id), "The team"))

    def delete(self, access: CloudAccess, team_id: str) -> None:
        project = access.call(lambda conn: conn.identity.get_project(team_id), "The team")
        account_id = account_of(project)
        if account_id is not None:
            self._billing(access.tenant_id).close_account(access.tenant_id, account_id)
        access.call(lambda conn: conn.identity.delete_project(team_id, ignore_missing=False), "The team")
        log_event(
            logger,
            "team_deleted",
            tenant_id=access.tenant_id,
            cloud_id=access.cloud_id,
            team_id=team_id,
            billing_account_id=account_id,
        )

    def quotas(self, access: CloudAccess, team_id: str) -> TeamQuotas:
        """Compute, volume and network quotas of the team; a service the cloud lacks is null."""

        def read(conn: Any) -> TeamQuotas:
            conn.identity.get_project(team_id)  # a missing team is a 404, not the defaults of any id
            types = catalog_types(conn)
            missing: list[str] = []
            compute = volume = network = None
            if "compute" in types:
                compute = _numbers(conn.compute.get_quota_set(team_id))
            else:
                missing.append("compute")
            if types & set(VOLUME_TYPES):
                volume = _numbers(conn.block_storage.get_quota_set(team_id))
            else:
                missing.append("volume")
            if types & set(NETWORK_TYPES):
                network = _numbers(conn.network.get_quota(team_id))
            else:
                missing.append("network")
            return TeamQuotas(team_id=team_id, compute=compute, volume=volume, network=network, missing=missing)

        return access.call(read, "The team")

"""Role assignments of users in teams (Keystone project roles): add, list, replace, remove.

A role is named (``member``, ``reader``...) or given by id; an unknown one is a 422. Replacing
assigns the new role before removing the old one, and takes the new one back if the removal
fails, so a user never ends with neither (nor, silently, with both).
"""

from __future__ import annotations

import logging
from typing import Any

from shared.errors import NotFound, ValidationFailed
from shared.logs import log_event
from shared.models.cloud_identity import (
    RoleAssignment,
    RoleAssignmentChange,
    RoleAssignmentCreate,
    RoleAssignmentList,
)
from shared.services.clouds import CloudAccess

logger = logging.getLogger("cloudplane.clouds")


def _role(conn: Any, name_or_id: str) -> Any:
    role = conn.identity.find_role(name_or_id, ignore_missing=True)
    if role is None:
        raise ValidationFailed(f"The cloud has no role {name_or_id!r}.", code="CLOUD_ROLE_UNKNOWN")
    return role


def _not_held(team_id: str, user_id: str, role: str) -> NotFound:
    return NotFound(
        "The user does not hold this role in the team.",
        code="ROLE_ASSIGNMENT_NOT_FOUND",
        details={"team_id": team_id, "user_id": user_id, "role": role},
    )


class CloudRolesService:
    def add(self, access: CloudAccess, team_id: str, request: RoleAssignmentCreate) -> RoleAssignment:
        def run(conn: Any) -> RoleAssignment:
            conn.identity.get_project(team_id)
            user = conn.identity.get_user(request.user_id)
            role = _role(conn, request.role)
            conn.identity.assign_project_role_to_user(team_id, user.id, role.id)
            return RoleAssignment(
                team_id=team_id, user_id=user.id, user_name=user.name, role_id=role.id, role=role.name
            )

        assignment = access.call(run, "The team, user or role")
        log_event(
            logger,
            "team_role_added",
            tenant_id=access.tenant_id,
            cloud_id=access.cloud_id,
            team_id=team_id,
            user_id=assignment.user_id,
            role=assignment.role,
        )
        return assignment

    def list(self, access: CloudAccess, team_id: str) -> RoleAssignmentList:
        def run(conn: Any) -> list[RoleAssignment]:
            conn.identity.get_project(team_id)
            items = []
            for found in conn.identity.role_assignments(scope_project_id=team_id, include_names=True):
                user, role = found.user or {}, found.role or {}
                if not user.get("id"):
                    continue  # a group's assignment
                items.append(
                    RoleAssignment(
                        team_id=team_id,
                        user_id=user["id"],
                        user_name=user.get("name"),
                        role_id=role.get("id", ""),
                        role=role.get("name"),
                    )
                )
            return items

        items = access.call(run, "The team")
        return RoleAssignmentList(items=sorted(items, key=lambda item: (item.user_name or "", item.role or "")))

    def replace(self, access: CloudAccess, team_id: str, request: RoleAssignmentChange) -> RoleAssignment:
        def run(conn: Any) -> RoleAssignment:
            conn.identity.get_project(team_id)
            user = conn.identity.get_user(request.user_id)
            old, new = _role(conn, request.role), _role(conn, request.new_role)
            if not conn.identity.validate_user_has_project_role(team_id, user.id, old.id):
                raise _not_held(team_id, user.id, request.role)
            conn.identity.assign_project_role_to_user(team_id, user.id, new.id)
            if old.id != new.id:
                try:
                    conn.identity.unassign_project_role_from_user(team_id, user.id, old.id)
                except Exception:
                    conn.identity.unassign_project_role_from_user(team_id, user.id, new.id)
                    raise
            return RoleAssignment(team_id=team_id, user_id=user.id, user_name=user.name, role_id=new.id, role=new.name)

        assignment = access.call(run, "The team, user or role")
        log_event(
            logger,
            "team_role_replaced",
            tenant_id=access.tenant_id,
            cloud_id=access.cloud_id,
            team_id=team_id,
            user_id=assignment.user_id,
            role=assignment.role,
        )
        return assignment

    def remove(self, access: CloudAccess, team_id: str, user_id: str, role_name: str) -> None:
        def run(conn: Any) -> None:
            conn.identity.get_project(team_id)
            role = _role(conn, role_name)
            if not conn.identity.validate_user_has_project_role(team_id, user_id, role.id):
                raise _not_held(team_id, user_id, role_name)
            conn.identity.unassign_project_role_from_user(team_id, user_id, role.id)

        access.call(run, "The team, user or role")
        log_event(
            logger,
            "team_role_removed",
            tenant_id=access.tenant_id,
            cloud_id=access.cloud_id,
            team_id=team_id,
            user_id=user_id,
            role=role_name,
        )

"""Users of an OpenStack cloud (Keystone): create, read, change, delete.

Passwords are write-only: given ones go to Keystone and nowhere else, a generated one is
returned once in the creation's response. No log line of ours carries one, and the SDK's
request-body logging is silenced (``providers.openstack.quiet_sdk_logs``).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from shared.logs import log_event
from shared.models.cloud_identity import CloudUser, CloudUserCreate, CloudUserCreated, CloudUserList, CloudUserPatch
from shared.services.clouds import CloudAccess

logger = logging.getLogger("cloudplane.clouds")

GENERATED_PASSWORD_BYTES = 18
"""``secrets.token_urlsafe(18)``: 24 characters, 144 bits."""


def user_view(user: Any) -> CloudUser:
    return CloudUser(
        id=user.id,
        name=user.name,
        display_name=user.description or None,
        email=getattr(user, "email", None) or None,
        enabled=bool(user.is_enabled) if user.is_enabled is not None else True,
        domain_id=user.domain_id,
        default_project_id=user.default_project_id,
    )


class CloudUsersService:
    def create(self, access: CloudAccess, request: CloudUserCreate) -> CloudUserCreated:
        generated = request.password is None
        password = secrets.token_urlsafe(GENERATED_PASSWORD_BYTES) if generated else None
        if request.password is not None:
            password = request.password.get_secret_value()
        attrs: dict[str, Any] = {"name": request.name, "password": password, "is_enabled": request.enabled}
        if request.display_name is not None:
            attrs["description"] = request.display_name
        if request.email is not None:
            attrs["email"] = request.email
        if request.default_project_id is not None:
            attrs["default_project_id"] = request.default_project_id
        user = access.call(lambda conn: conn.identity.create_user(**attrs), "The user")
        log_event(
            logger,
            "cloud_user_created",
            tenant_id=access.tenant_id,
            cloud_id=access.cloud_id,
            user_id=user.id,
            password_generated=generated,
        )
        view = user_view(user)
        return CloudUserCreated(**view.model_dump(), password=password if generated else None)

    def list(self, access: CloudAccess) -> CloudUserList:
        users = access.call(lambda conn: [user_view(user) for user in conn.identity.users()])
        return CloudUserList(items=sorted(users, key=lambda user: (user.name, user.id)))

    def get(self, access: CloudAccess, user_id: str) -> CloudUser:
        return user_view(access.call(lambda conn: conn.identity.get_user(user_id), "The user"))

    def update(self, access: CloudAccess, user_id: str, request: CloudUserPatch) -> CloudUser:
        given = request.model_fields_set
        attrs: dict[str, Any] = {}
        if "display_name" in given:
            attrs["description"] = request.display_name or ""
        if "email" in given:
            attrs["email"] = request.email
        if "enabled" in given and request.enabled is not None:
            attrs["is_enabled"] = request.enabled
        if "password" in given and request.password is not None:
            attrs["password"] = request.password.get_secret_value()
        if not attrs:
            return self.get(access, user_id)
        user = access.call(lambda conn: conn.identity.update_user(user_id, **attrs), "The user")
        log_event(
            logger,
            "cloud_user_updated",
            tenant_id=access.tenant_id,
            cloud_id=access.cloud_id,
            user_id=user_id,
            fields=sorted(given),
        )
        return user_view(user)

    def delete(self, access: CloudAccess, user_id: str) -> None:
        access.call(lambda conn: conn.identity.delete_user(user_id, ignore_missing=False), "The user")
        log_event(logger, "cloud_user_deleted", tenant_id=access.tenant_id, cloud_id=access.cloud_id, user_id=user_id)

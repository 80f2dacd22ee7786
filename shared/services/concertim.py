"""Concertim's OpenStack-service paths over Cloudplane's cloud services (docs/compat.md).

Concertim sends the cloud credentials in every body (``cloud_env``) instead of naming a
registered cloud. ``cloud_config`` turns them into the same ``CloudConfig`` a registered cloud
holds, and every call goes through the process's one ``CloudConnections`` under the key
``concertim:<tenant>:<sha256 of the credentials>``: the same cached, authenticated connection
(one Keystone login, re-used until its token nears expiry) for every request that carries the
same credentials, and a new one as soon as any of them changes. The address rules apply to
``auth_url`` and to the catalog's endpoints, as for a registered cloud. The credentials are
never stored, logged or answered.

The work itself is the cloud services' (users, teams, roles, key pairs, quotas, power actions);
this module only translates: the seed's fields in, the seed's shapes out (``concertim_shapes``),
and a provider failure into the API's errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import ValidationError

from shared.errors import (
    Conflict,
    DomainError,
    NotFound,
    NotImplementedHere,
    ServiceUnavailable,
    ValidationFailed,
    validation_details,
)
from shared.models.cloud_actions import DELETED, DeviceAction, RackAction, refusal, target_state
from shared.models.clouds import CloudConfig
from shared.models.concertim import (
    CloudEnv,
    KeyPairCreate,
    KeyPairDelete,
    TeamCreate,
    TeamDelete,
    TeamRole,
    TeamRoleUpdate,
    UserCreate,
    UserDelete,
    UserUpdate,
)
from shared.providers.openstack import CloudError
from shared.services.clouds import CloudsService, cloud_failure
from shared.storage.servers import ServerRepository

if TYPE_CHECKING:
    from openstack.connection import Connection

T = TypeVar("T")

KEY_PREFIX = "concertim"

Target = Literal["device", "rack"]
OBJECT_TYPES: dict[str, Target] = {"devices": "device", "instances": "device", "racks": "rack"}
"""Concertim's object types: ``devices`` (the seed's word) and ``instances`` (its service's) are Nova
servers, ``racks`` Heat stacks. Its ``volumes`` and ``networks`` have no power action here (501)."""
UNSERVED_TYPES = ("volumes", "networks")
_OPENSTACK_ID = re.compile(r"[A-Za-z0-9_.:-]{1,255}")
"""An id that can go into a Nova or Heat URL as it is (theirs are UUIDs; a stack may be named)."""


_AUTH_FIELDS = (
    "auth_url",
    "username",
    "user_id",
    "project_name",
    "project_id",
    "user_domain_name",
    "project_domain_name",
)


def cloud_config(env: CloudEnv) -> CloudConfig:
    """The clouds.yaml entry ``cloud_env`` stands for: v3 password auth, public interface, TLS verified."""
    auth: dict[str, Any] = {name: getattr(env, name) for name in _AUTH_FIELDS if getattr(env, name) is not None}
    auth["password"] = env.password.get_secret_value()
    try:
        return CloudConfig.model_validate({"auth": auth})
    except ValidationError as error:
        raise ValidationFailed(
            "cloud_env is not valid.",
            details=validation_details(error.errors(), ("body", "cloud_env")),
        ) from None


def connection_key(tenant_id: str, cloud: CloudConfig) -> str:
    """The connection cache's key: the credentials' SHA-256 (never the credentials themselves)."""
    return f"{KEY_PREFIX}:{tenant_id}:{cloud.fingerprint()}"


def concertim_failure(error: CloudError, what: str = "The cloud") -> DomainError:
    """A provider failure as the API's error. Credentials Keystone refuses are the body's fault (422);
    everything else as for a registered cloud (``cloud_failure``), without a cloud id."""
    if error.reason == "UNAUTHORIZED":
        return ValidationFailed(
            "The cloud refused the credentials in cloud_env.",
            code="CLOUD_CREDENTIALS_REJECTED",
            details={
                "reason": error.reason,
                "fields": [{"path": "body.cloud_env", "message": "refused by the cloud", "type": "rejected"}],
            },
        )
    failure = cloud_failure(error, "", what)
    failure.details.pop("cloud_id", None)
    return failure


@dataclass(frozen=True)
class StatusChange:
    """What ``update_status`` did: OpenStack took the action (it runs it asynchronously)."""

    object_type: str
    object_id: str
    action: str
    state_at_submission: str
    target_state: str


class ConcertimService:
    """Concertim's requests on the clouds its bodies name, through the shared connection cache."""

    def __init__(self, clouds: CloudsService, servers: ServerRepository) -> None:
        self._clouds = clouds
        self._connections = clouds.connections
        self._servers = servers

    def registered_cloud(self, tenant_id: str) -> str:
        """The tenant's one registered OpenStack cloud, for a request that carries no ``cloud_env``."""
        clouds = sorted(r.server.id for r in self._servers.records(tenant_id) if r.server.kind == "openstack")
        if not clouds:
            raise ValidationFailed(
                "Send cloud_env: the tenant has no registered OpenStack cloud to answer without one.",
                code="CLOUD_ENV_REQUIRED",
                details={"fields": [{"path": "body.cloud_env", "message": "required here", "type": "missing"}]},
            )
        if len(clouds) > 1:
            raise Conflict(
                "Send cloud_env: the tenant has several OpenStack clouds, and none is Concertim's by default.",
                code="CLOUD_AMBIGUOUS",
                details={"cloud_ids": clouds},
            )
        return clouds[0]

    def call(self, tenant_id: str, env: CloudEnv, action: Callable[[Connection], T], what: str = "The cloud") -> T:
        """``action(connection)`` on the cloud ``env`` names; failures as the API's errors."""
        cloud = cloud_config(env)
        try:
            return self._connections.call(connection_key(tenant_id, cloud), cloud, action)
        except CloudError as error:
            raise concertim_failure(error, what) from None

    # ------------------------------------------------------------ power actions

    def update_status(
        self, tenant_id: str, env: CloudEnv, object_type: str, object_id: str, action: str
    ) -> StatusChange:
        """Look at the server or stack, refuse an action its state does not allow (409 with the state),
        then send the action once, as the ``openstack.power_action`` job's first step does.

        Not a job: the credentials exist only in this request (Cloudplane keeps none of Concertim's),
        and Concertim follows the result through its own updates, as it did with its service.
        """
        from shared.providers import openstack_power

        target = OBJECT_TYPES.get(object_type)
        if target is None:
            if object_type in UNSERVED_TYPES:
                raise NotImplementedHere(
                    f"Concertim's {object_type} have no power action in Cloudplane; devices and racks do.",
                    details={"type": object_type},
                )
            raise NotFound(
                f"Concertim has no object type {object_type!r}: use devices, instances or racks.",
                code="OBJECT_TYPE_NOT_FOUND",
                details={"type": object_type},
            )
        actions = [a.value for a in (DeviceAction if target == "device" else RackAction)]
        if action not in actions:
            raise ValidationFailed(
                f"{object_type} take the actions {', '.join(actions)}.",
                details={"fields": [{"path": "body.action", "message": f"one of {actions}", "type": "enum"}]},
            )
        noun = "server" if target == "device" else "stack"
        if not _OPENSTACK_ID.fullmatch(object_id):
            code = "DEVICE_NOT_FOUND" if target == "device" else "RACK_NOT_FOUND"
            raise NotFound(f"The cloud has no {noun} with that id.", code=code)

        def act(connection: Connection) -> StatusChange:
            try:
                seen = openstack_power.observe(connection, target, object_id)
                if seen.status == DELETED:
                    code = "DEVICE_NOT_FOUND" if target == "device" else "RACK_NOT_FOUND"
                    raise NotFound(f"The cloud has no {noun} {object_id}.", code=code)
                why_not = refusal(target, action, seen)
                if why_not is not None:
                    raise Conflict(
                        f"Cannot {action} the {noun} now: {why_not}.",
                        code="ACTION_NOT_ALLOWED",
                        details={**seen.as_details(), "action": action},
                    )
                openstack_power.send(connection, target, action, object_id)
            except openstack_power.ActionRefused as error:
                raise Conflict(
                    f"The cloud refused to {action} the {noun}: {error}", code="ACTION_NOT_ALLOWED"
                ) from None
            except openstack_power.CloudUnreachable as error:
                raise ServiceUnavailable(
                    f"The cloud did not answer: {error}", code="CLOUD_UNAVAILABLE", headers={"Retry-After": "5"}
                ) from None
            return StatusChange(object_type, object_id, action, seen.shown(), target_state(target, action))

        return self.call(tenant_id, env, act, what=f"The {noun}")

    # ------------------------------------------------------------ users

    def create_user(self, tenant_id: str, body: UserCreate) -> str:
        """A Keystone user ``CM_<username>`` (Concertim's mark of the users it manages); its id."""

        def act(connection: Connection) -> str:
            user = connection.identity.create_user(
                name=f"{MANAGED_PREFIX}{body.username}",
                password=body.password.get_secret_value(),
                email=body.email,
                description=MANAGED_USER,
            )
            return str(user.id)

        return self.call(tenant_id, body.cloud_env, act, what="The user")

    def update_user(self, tenant_id: str, body: UserUpdate) -> list[str]:
        """Change the email and/or password; the names of the fields changed."""
        changes = body.user_info.new_data
        fields: dict[str, Any] = {}
        if changes.email is not None:
            fields["email"] = changes.email
        if changes.password is not None:
            fields["password"] = changes.password.get_secret_value()

        def act(connection: Connection) -> None:
            connection.identity.update_user(body.user_info.cloud_user_id, **fields)

        self.call(tenant_id, body.cloud_env, act, what="The user")
        return [name for name in ("email", "password") if name in fields]

    def delete_user(self, tenant_id: str, body: UserDelete) -> None:
        def act(connection: Connection) -> None:
            connection.identity.delete_user(body.user_info.cloud_user_id, ignore_missing=False)

        self.call(tenant_id, body.cloud_env, act, what="The user")

    # ------------------------------------------------------------ teams

    def create_team(self, tenant_id: str, body: TeamCreate) -> dict[str, str]:
        raise NotImplementedHere("Teams are not served here yet: the cloud teams service is being mapped.")

    def delete_team(self, tenant_id: str, body: TeamDelete) -> None:
        raise NotImplementedHere("Teams are not served here yet: the cloud teams service is being mapped.")

    # ------------------------------------------------------------ team roles

    def assign_role(self, tenant_id: str, body: TeamRole) -> None:
        spec = body.team_role

        def act(connection: Connection) -> None:
            role = _role(connection, spec.role)
            _identity(connection).assign_project_role_to_user(spec.project_id, spec.user_id, role)

        self.call(tenant_id, body.cloud_env, act, what="The team, user or role")

    def change_role(self, tenant_id: str, body: TeamRoleUpdate) -> None:
        """The new role first, then the old one taken: the user is never left with neither."""
        spec = body.team_role

        def act(connection: Connection) -> None:
            new, old = _role(connection, spec.new_role), _role(connection, spec.current_role)
            _identity(connection).assign_project_role_to_user(spec.project_id, spec.user_id, new)
            _identity(connection).unassign_project_role_from_user(spec.project_id, spec.user_id, old)

        self.call(tenant_id, body.cloud_env, act, what="The team, user or role")

    def revoke_role(self, tenant_id: str, body: TeamRole) -> None:
        spec = body.team_role

        def act(connection: Connection) -> None:
            role = _role(connection, spec.role)
            _identity(connection).unassign_project_role_from_user(spec.project_id, spec.user_id, role)

        self.call(tenant_id, body.cloud_env, act, what="The team, user or role")

    # ------------------------------------------------------------ key pairs

    def list_key_pairs(self, tenant_id: str, env: CloudEnv) -> list[dict[str, Any]]:
        def act(connection: Connection) -> list[dict[str, Any]]:
            return [_key_pair(pair) for pair in connection.compute.keypairs()]

        return self.call(tenant_id, env, act, what="The key pairs")

    def create_key_pair(self, tenant_id: str, body: KeyPairCreate) -> dict[str, Any]:
        """Imported when ``public_key`` is given, else generated by Nova (its private key returned this once)."""
        spec = body.key_pair
        fields: dict[str, Any] = {"name": spec.name, "type": spec.key_type}
        if spec.public_key:
            fields["public_key"] = spec.public_key.strip()

        def act(connection: Connection) -> dict[str, Any]:
            pair = connection.compute.create_keypair(**fields)
            return {**_key_pair(pair), "private_key": getattr(pair, "private_key", None) or None}

        return self.call(tenant_id, body.cloud_env, act, what="The key pair")

    def delete_key_pair(self, tenant_id: str, body: KeyPairDelete) -> None:
        def act(connection: Connection) -> None:
            connection.compute.delete_keypair(body.keypair_name, ignore_missing=False)

        self.call(tenant_id, body.cloud_env, act, what="The key pair")

    # ------------------------------------------------------------ quotas and limits

    def team_limits(self, tenant_id: str, env: CloudEnv) -> dict[str, Any]:
        """Nova's absolute limits and usage of the credentials' own project, and Cinder's where there is one."""

        def act(connection: Connection) -> dict[str, Any]:
            values = _numbers(connection.compute.get_limits().absolute.to_dict(original_names=True))
            if connection.has_service("block-storage"):
                values.update(_numbers(connection.block_storage.get_limits().absolute.to_dict(original_names=True)))
            return values

        return self.call(tenant_id, env, act, what="The limits")

    def team_quotas(self, tenant_id: str, env: CloudEnv | None, project_id: str) -> dict[str, Any]:
        """The project's compute quotas, with its volume and network quotas where the cloud has those services."""

        def act(connection: Connection) -> dict[str, Any]:
            values = _numbers(connection.compute.get_quota_set(project_id).to_dict(original_names=True))
            if connection.has_service("block-storage"):
                values.update(_numbers(connection.block_storage.get_quota_set(project_id).to_dict(original_names=True)))
            if connection.has_service("network"):
                values.update(_numbers(connection.network.get_quota(project_id).to_dict(original_names=True)))
            return values

        if env is None:
            return self._clouds.call(tenant_id, self.registered_cloud(tenant_id), act, what="The team")
        return self.call(tenant_id, env, act, what="The team")


MANAGED_PREFIX = "CM_"
"""Concertim names the Keystone users and projects it manages ``CM_<name>``; its other services look for it."""
MANAGED_USER = "Concertim Managed User"
MANAGED_PROJECT = "Concertim Managed Project"


def _identity(connection: Connection) -> Any:
    """Keystone v3's proxy (the only one a ``CloudConfig`` connects to; the SDK's type is a v2/v3 union)."""
    return connection.identity


def _role(connection: Connection, name: str) -> Any:
    role = connection.identity.find_role(name, ignore_missing=True)
    if role is None:
        raise NotFound(f"The cloud has no role {name!r}.", code="ROLE_NOT_FOUND", details={"role": name})
    return role


def _key_pair(pair: Any) -> dict[str, Any]:
    return {
        "id": pair.id or pair.name,
        "name": pair.name,
        "public_key": pair.public_key,
        "fingerprint": pair.fingerprint,
        "key_type": getattr(pair, "type", None) or "ssh",
    }


def _numbers(values: dict[str, Any]) -> dict[str, Any]:
    """The numeric entries (quotas and limits), without the SDK's ids, names and locations."""
    return {name: value for name, value in values.items() if isinstance(value, int) and not isinstance(value, bool)}

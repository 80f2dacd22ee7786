"""Concertim's OpenStack-service paths over Cloudplane's cloud services (docs/compat.md).

Concertim sends the cloud credentials in every body (``cloud_env``) instead of naming a
registered cloud. ``cloud_config`` turns them into the same ``CloudConfig`` a registered cloud
holds, and ``access`` into the same ``CloudAccess`` the v1 routes hand the cloud services
(``CloudsService.access_with``): the process's one connection cache, keyed by the tenant and who
logs in where (URL, user, project: ``CloudConfig.identity``), so every request with the same
credentials shares one authenticated connection (one Keystone login until its token nears expiry)
and a changed password replaces it. The address rules apply to ``auth_url`` and the catalog's
endpoints, as for a registered cloud. The credentials are never stored, logged or answered, and
the id the services log for such a cloud is derived from the URL, user and project only (never
the password).

The work is the cloud services' (users, teams, roles, key pairs, quotas, limits, power actions):
this module translates the seed's fields into their requests, and a refused credential into a
422 on ``cloud_env`` (the body's fault, not a stored cloud's). ``concertim_shapes`` makes the
seed's answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from shared.errors import (
    Conflict,
    DomainError,
    NotFound,
    NotImplementedHere,
    ValidationFailed,
    validation_details,
)
from shared.models.cloud_actions import DeviceAction, RackAction, target_state
from shared.models.cloud_compute import CloudStatistics, KeyPairCreated, TeamQuotas
from shared.models.cloud_compute import KeyPairCreate as V1KeyPairCreate
from shared.models.cloud_identity import CloudUserCreate, CloudUserPatch, RoleAssignmentChange, RoleAssignmentCreate
from shared.models.cloud_identity import TeamCreate as V1TeamCreate
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
from shared.services.cloud_actions import check_submission
from shared.services.cloud_keypairs import CloudKeyPairsService
from shared.services.cloud_roles import CloudRolesService
from shared.services.cloud_statistics import CloudStatisticsService
from shared.services.cloud_teams import CloudTeamsService
from shared.services.cloud_users import CloudUsersService
from shared.services.clouds import CloudAccess, CloudsService, cloud_failure
from shared.storage.servers import ServerRepository

if TYPE_CHECKING:
    from openstack.connection import Connection

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

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
class ConcertimAccess(CloudAccess):
    """A ``CloudAccess`` on credentials from a request: the cloud services' own, except that a refused
    credential is a 422 on ``cloud_env`` (there is no stored cloud to update)."""

    def call(self, action: Callable[[Any], T], what: str = "The cloud") -> T:
        try:
            return self.connections.call(self.key, self.cloud, action)
        except CloudError as error:
            raise concertim_failure(error, what) from None


def v1_request(model: type[M], data: dict[str, Any], where: tuple[str, ...]) -> M:
    """The cloud service's request model from the seed's fields; its rules are the v1 API's (a 422
    naming the seed's field when one is broken)."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(
            "The request body is not valid.", details=validation_details(error.errors(), ("body", *where))
        ) from None


@dataclass(frozen=True)
class StatusChange:
    """What ``update_status`` did: OpenStack took the action (it runs it asynchronously)."""

    object_type: str
    object_id: str
    action: str
    state_at_submission: str
    target_state: str


@dataclass(frozen=True)
class CloudServices:
    """The cloud services the v1 routes use (``shared/deps.py`` builds them)."""

    users: CloudUsersService
    teams: CloudTeamsService
    roles: CloudRolesService
    key_pairs: CloudKeyPairsService
    statistics: CloudStatisticsService


MANAGED_PREFIX = "CM_"
"""Concertim names the Keystone users and projects it manages ``CM_<name>``; its other services look for it."""

LIMIT_NAMES: dict[str, tuple[str, str | None]] = {
    "instances": ("maxTotalInstances", "totalInstancesUsed"),
    "total_cores": ("maxTotalCores", "totalCoresUsed"),
    "total_ram": ("maxTotalRAMSize", "totalRAMUsed"),
    "keypairs": ("maxTotalKeypairs", None),
    "server_groups": ("maxServerGroups", "totalServerGroupsUsed"),
    "server_group_members": ("maxServerGroupMembers", None),
    "server_meta": ("maxServerMeta", None),
    "security_groups": ("maxSecurityGroups", "totalSecurityGroupsUsed"),
    "security_group_rules": ("maxSecurityGroupRules", None),
    "floating_ips": ("maxTotalFloatingIps", "totalFloatingIpsUsed"),
}
"""The v1 limits' names (the SDK's) and the names Nova's API gives them, which Concertim's UI reads."""


class ConcertimService:
    """Concertim's requests on the clouds its bodies name, through the cloud services."""

    def __init__(self, clouds: CloudsService, servers: ServerRepository, services: CloudServices) -> None:
        self._clouds = clouds
        self._servers = servers
        self._services = services

    def access(self, tenant_id: str, env: CloudEnv) -> ConcertimAccess:
        """The cloud ``env`` names, for one request (the connection cache's key is ``access_with``'s)."""
        cloud = cloud_config(env)
        base = self._clouds.access_with(tenant_id, cloud, KEY_PREFIX)
        return ConcertimAccess(tenant_id, base.cloud_id, base.key, cloud, base.connections)

    def call(self, tenant_id: str, env: CloudEnv, action: Callable[[Connection], T], what: str = "The cloud") -> T:
        """``action(connection)`` on the cloud ``env`` names; failures as the API's errors."""
        return self.access(tenant_id, env).call(action, what)

    def registered_cloud(self, tenant_id: str) -> CloudAccess:
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
        return self._clouds.access(tenant_id, clouds[0])

    # ------------------------------------------------------------ users

    def create_user(self, tenant_id: str, body: UserCreate) -> str:
        """A Keystone user ``CM_<username>`` (Concertim's mark of the users it manages); its id."""
        fields: dict[str, Any] = {"name": f"{MANAGED_PREFIX}{body.username}", "password": body.password}
        if body.name:
            fields["display_name"] = body.name
        if body.email:
            fields["email"] = body.email
        request = v1_request(CloudUserCreate, fields, ())
        return self._services.users.create(self.access(tenant_id, body.cloud_env), request).id

    def update_user(self, tenant_id: str, body: UserUpdate) -> list[str]:
        """Change the email and/or password; the names of the fields changed."""
        changes = body.user_info.new_data
        fields = {name: value for name, value in (("email", changes.email), ("password", changes.password)) if value}
        request = v1_request(CloudUserPatch, fields, ("user_info", "new_data"))
        self._services.users.update(self.access(tenant_id, body.cloud_env), body.user_info.cloud_user_id, request)
        return [name for name in ("email", "password") if name in fields]

    def delete_user(self, tenant_id: str, body: UserDelete) -> None:
        self._services.users.delete(self.access(tenant_id, body.cloud_env), body.user_info.cloud_user_id)

    # ------------------------------------------------------------ teams

    def create_team(self, tenant_id: str, body: TeamCreate) -> tuple[dict[str, str], bool]:
        """A project ``CM_<name>`` and its billing account (the tenant's), undone together if a step fails;
        and whether it was made now. Concertim's UI retries with the ``project_id`` it may have been given:
        that team, if it exists under this name with its account, is answered again, not made twice."""
        access = self.access(tenant_id, body.cloud_env)
        name = f"{MANAGED_PREFIX}{body.name}"
        if body.project_id:
            try:
                found = self._services.teams.get(access, body.project_id)
            except NotFound:
                found = None
            if found is not None and found.name == name and found.billing_account_id:
                return {"project_id": found.id, "billing_acct_id": found.billing_account_id}, False
        team = self._services.teams.create(access, v1_request(V1TeamCreate, {"name": name}, ()))
        return {"project_id": team.id, "billing_acct_id": team.billing_account_id or ""}, True

    def delete_team(self, tenant_id: str, body: TeamDelete) -> None:
        """Closes the account the project names (its tag), then deletes the project; the body's
        ``billing_acct_id`` is not needed (an account is never closed on the caller's word)."""
        self._services.teams.delete(self.access(tenant_id, body.cloud_env), body.team_info.project_id)

    def team_quotas(self, tenant_id: str, env: CloudEnv | None, project_id: str) -> dict[str, int]:
        """Compute, volume and network quotas in one dict, as Concertim merged them."""
        access = self.registered_cloud(tenant_id) if env is None else self.access(tenant_id, env)
        return flat_quotas(self._services.teams.quotas(access, project_id))

    def team_limits(self, tenant_id: str, env: CloudEnv) -> dict[str, int]:
        """The credentials' own project's limits and usage, under Nova's names."""
        limits = self._services.statistics.limits(self.access(tenant_id, env))
        values: dict[str, int] = {}
        for name, usage in limits.compute.items():
            limit_name, used_name = LIMIT_NAMES.get(name, (name, None))
            values[limit_name] = usage.limit
            if used_name is not None and usage.used is not None:
                values[used_name] = usage.used
        return values

    def statistics(self, tenant_id: str, env: CloudEnv | None) -> CloudStatistics:
        """What the credential can see (servers, stacks, users, projects): the v1 statistics."""
        access = self.registered_cloud(tenant_id) if env is None else self.access(tenant_id, env)
        return self._services.statistics.statistics(access)

    # ------------------------------------------------------------ team roles

    def assign_role(self, tenant_id: str, body: TeamRole) -> None:
        spec = body.team_role
        request = v1_request(RoleAssignmentCreate, {"user_id": spec.user_id, "role": spec.role}, ("team_role",))
        self._services.roles.add(self.access(tenant_id, body.cloud_env), spec.project_id, request)

    def change_role(self, tenant_id: str, body: TeamRoleUpdate) -> None:
        """The new role is given before the old one is taken: the user is never left with neither."""
        spec = body.team_role
        fields = {"user_id": spec.user_id, "role": spec.current_role, "new_role": spec.new_role}
        request = v1_request(RoleAssignmentChange, fields, ("team_role",))
        self._services.roles.replace(self.access(tenant_id, body.cloud_env), spec.project_id, request)

    def revoke_role(self, tenant_id: str, body: TeamRole) -> None:
        spec = body.team_role
        self._services.roles.remove(self.access(tenant_id, body.cloud_env), spec.project_id, spec.user_id, spec.role)

    # ------------------------------------------------------------ key pairs

    def list_key_pairs(self, tenant_id: str, env: CloudEnv) -> list[dict[str, Any]]:
        return [pair.model_dump() for pair in self._services.key_pairs.list(self.access(tenant_id, env)).items]

    def create_key_pair(self, tenant_id: str, body: KeyPairCreate) -> dict[str, Any]:
        """Imported when ``public_key`` is given (checked first), else generated: the private key is in
        this answer only."""
        spec = body.key_pair
        fields: dict[str, Any] = {"name": spec.name, "key_type": spec.key_type}
        if spec.public_key:
            fields["public_key"] = spec.public_key
        request = v1_request(V1KeyPairCreate, fields, ("key_pair",))
        created: KeyPairCreated = self._services.key_pairs.create(self.access(tenant_id, body.cloud_env), request)
        return created.model_dump()

    def delete_key_pair(self, tenant_id: str, body: KeyPairDelete) -> None:
        self._services.key_pairs.delete(self.access(tenant_id, body.cloud_env), body.keypair_name)

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
            seen = openstack_power.observe(connection, target, object_id)
            check_submission(target, object_id, action, seen)  # the v1 routes' check: 404 gone, 409 the state
            openstack_power.send(connection, target, action, object_id)  # Nova's or Heat's 409: CLOUD_CONFLICT
            return StatusChange(object_type, object_id, action, seen.shown(), target_state(target, action))

        return self.call(tenant_id, env, act, what=f"The {noun}")


def flat_quotas(quotas: TeamQuotas) -> dict[str, int]:
    """Concertim's one dict: compute, then volume, then network quotas (a service the cloud lacks adds none)."""
    values: dict[str, int] = {}
    for part in (quotas.compute, quotas.volume, quotas.network):
        values.update(part or {})
    return values

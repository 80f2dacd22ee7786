"""OpenStack clouds: users, teams (projects with billing accounts), role assignments, key pairs,
quotas, limits and statistics, under ``/api/v1/clouds/{cloud_id}/``.

``cloud_id`` is a registered server of kind ``openstack`` of the caller's tenant (another
tenant's: 404; a Kubernetes server: 409). Each route is one service call on the cloud's cached
connection (``deps.clouds_service().access``); a cloud that is down or late is a 503
``CLOUD_UNAVAILABLE`` and its refusals are 4xx (``shared/services/clouds.py cloud_failure``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.models.cloud_compute import (
    CloudLimits,
    CloudStatistics,
    KeyPair,
    KeyPairCreate,
    KeyPairCreated,
    KeyPairList,
    TeamQuotas,
)
from shared.models.cloud_identity import (
    CloudUser,
    CloudUserCreate,
    CloudUserCreated,
    CloudUserList,
    CloudUserPatch,
    RoleAssignment,
    RoleAssignmentChange,
    RoleAssignmentCreate,
    RoleAssignmentList,
    Team,
    TeamCreate,
    TeamList,
)

if TYPE_CHECKING:  # the service module loads on the first request, not at cold start
    from shared.services.clouds import CloudAccess

bp = func.Blueprint()

CLOUD = "v1/clouds/{cloud_id}"
ERRORS = (404, 409, 503)


def _access(ctx: RequestContext) -> CloudAccess:
    return deps.clouds_service().access(ctx.caller.require_tenant().id, ctx.path["cloud_id"])


@endpoint(
    bp,
    "POST",
    CLOUD + "/users",
    summary="Create a user in a cloud",
    tag="clouds",
    body=CloudUserCreate,
    response=CloudUserCreated,
    status=201,
    errors=(404, 409, 422, 503),
)
def create_cloud_user(ctx: RequestContext) -> CloudUserCreated:
    """Without ``password`` one is generated and returned in this response only."""
    return deps.cloud_users_service().create(_access(ctx), ctx.body)


@endpoint(
    bp,
    "GET",
    CLOUD + "/users",
    summary="List a cloud's users",
    tag="clouds",
    response=CloudUserList,
    errors=ERRORS,
)
def list_cloud_users(ctx: RequestContext) -> CloudUserList:
    return deps.cloud_users_service().list(_access(ctx))


@endpoint(
    bp,
    "GET",
    CLOUD + "/users/{user_id}",
    summary="Get a cloud user",
    tag="clouds",
    response=CloudUser,
    errors=ERRORS,
)
def get_cloud_user(ctx: RequestContext) -> CloudUser:
    return deps.cloud_users_service().get(_access(ctx), ctx.path["user_id"])


@endpoint(
    bp,
    "PATCH",
    CLOUD + "/users/{user_id}",
    summary="Change a cloud user (email, display name, password, enabled)",
    tag="clouds",
    body=CloudUserPatch,
    response=CloudUser,
    errors=(404, 409, 422, 503),
)
def patch_cloud_user(ctx: RequestContext) -> CloudUser:
    return deps.cloud_users_service().update(_access(ctx), ctx.path["user_id"], ctx.body)


@endpoint(
    bp,
    "DELETE",
    CLOUD + "/users/{user_id}",
    summary="Delete a cloud user",
    tag="clouds",
    status=204,
    errors=ERRORS,
)
def delete_cloud_user(ctx: RequestContext) -> None:
    deps.cloud_users_service().delete(_access(ctx), ctx.path["user_id"])


@endpoint(
    bp,
    "POST",
    CLOUD + "/teams",
    summary="Create a team (a project and its billing account)",
    tag="clouds",
    body=TeamCreate,
    response=Team,
    status=201,
    errors=(404, 409, 422, 503),
)
def create_team(ctx: RequestContext) -> Team:
    """All or nothing: if the billing account or the tagging fails, the project is deleted again."""
    return deps.cloud_teams_service().create(_access(ctx), ctx.body)


@endpoint(
    bp,
    "GET",
    CLOUD + "/teams",
    summary="List a cloud's teams",
    tag="clouds",
    response=TeamList,
    errors=ERRORS,
)
def list_teams(ctx: RequestContext) -> TeamList:
    return deps.cloud_teams_service().list(_access(ctx))


@endpoint(
    bp,
    "GET",
    CLOUD + "/teams/{team_id}",
    summary="Get a team",
    tag="clouds",
    response=Team,
    errors=ERRORS,
)
def get_team(ctx: RequestContext) -> Team:
    return deps.cloud_teams_service().get(_access(ctx), ctx.path["team_id"])


@endpoint(
    bp,
    "DELETE",
    CLOUD + "/teams/{team_id}",
    summary="Delete a team (its billing account is closed)",
    tag="clouds",
    status=204,
    errors=ERRORS,
)
def delete_team(ctx: RequestContext) -> None:
    deps.cloud_teams_service().delete(_access(ctx), ctx.path["team_id"])


@endpoint(
    bp,
    "GET",
    CLOUD + "/teams/{team_id}/quotas",
    summary="A team's compute, volume and network quotas",
    tag="clouds",
    response=TeamQuotas,
    errors=ERRORS,
)
def get_team_quotas(ctx: RequestContext) -> TeamQuotas:
    return deps.cloud_teams_service().quotas(_access(ctx), ctx.path["team_id"])


@endpoint(
    bp,
    "POST",
    CLOUD + "/teams/{team_id}/roles",
    summary="Give a user a role in a team",
    tag="clouds",
    body=RoleAssignmentCreate,
    response=RoleAssignment,
    status=201,
    errors=(404, 409, 422, 503),
)
def add_team_role(ctx: RequestContext) -> RoleAssignment:
    return deps.cloud_roles_service().add(_access(ctx), ctx.path["team_id"], ctx.body)


@endpoint(
    bp,
    "GET",
    CLOUD + "/teams/{team_id}/roles",
    summary="List a team's role assignments",
    tag="clouds",
    response=RoleAssignmentList,
    errors=ERRORS,
)
def list_team_roles(ctx: RequestContext) -> RoleAssignmentList:
    return deps.cloud_roles_service().list(_access(ctx), ctx.path["team_id"])


@endpoint(
    bp,
    "PATCH",
    CLOUD + "/teams/{team_id}/roles",
    summary="Replace a user's role in a team by another",
    tag="clouds",
    body=RoleAssignmentChange,
    response=RoleAssignment,
    errors=(404, 409, 422, 503),
)
def replace_team_role(ctx: RequestContext) -> RoleAssignment:
    return deps.cloud_roles_service().replace(_access(ctx), ctx.path["team_id"], ctx.body)


@endpoint(
    bp,
    "DELETE",
    CLOUD + "/teams/{team_id}/roles/{user_id}/{role}",
    summary="Take a role from a user in a team",
    tag="clouds",
    status=204,
    errors=(404, 409, 422, 503),
)
def remove_team_role(ctx: RequestContext) -> None:
    deps.cloud_roles_service().remove(_access(ctx), ctx.path["team_id"], ctx.path["user_id"], ctx.path["role"])


@endpoint(
    bp,
    "POST",
    CLOUD + "/key-pairs",
    summary="Generate or import a key pair",
    tag="clouds",
    body=KeyPairCreate,
    response=KeyPairCreated,
    status=201,
    errors=(404, 409, 422, 503),
)
def create_key_pair(ctx: RequestContext) -> KeyPairCreated:
    """Without ``public_key`` the pair is generated and ``private_key`` is in this response only."""
    return deps.cloud_keypairs_service().create(_access(ctx), ctx.body)


@endpoint(
    bp,
    "GET",
    CLOUD + "/key-pairs",
    summary="List key pairs",
    tag="clouds",
    response=KeyPairList,
    errors=ERRORS,
)
def list_key_pairs(ctx: RequestContext) -> KeyPairList:
    return deps.cloud_keypairs_service().list(_access(ctx))


@endpoint(
    bp,
    "GET",
    CLOUD + "/key-pairs/{name}",
    summary="Get a key pair",
    tag="clouds",
    response=KeyPair,
    errors=ERRORS,
)
def get_key_pair(ctx: RequestContext) -> KeyPair:
    return deps.cloud_keypairs_service().get(_access(ctx), ctx.path["name"])


@endpoint(
    bp,
    "DELETE",
    CLOUD + "/key-pairs/{name}",
    summary="Delete a key pair",
    tag="clouds",
    status=204,
    errors=ERRORS,
)
def delete_key_pair(ctx: RequestContext) -> None:
    deps.cloud_keypairs_service().delete(_access(ctx), ctx.path["name"])


@endpoint(
    bp,
    "GET",
    CLOUD + "/limits",
    summary="The credential's own project's limits and usage",
    tag="clouds",
    response=CloudLimits,
    errors=ERRORS,
)
def get_cloud_limits(ctx: RequestContext) -> CloudLimits:
    return deps.cloud_statistics_service().limits(_access(ctx))


@endpoint(
    bp,
    "GET",
    CLOUD + "/statistics",
    summary="Counts of servers, stacks, users and projects the credential can see",
    tag="clouds",
    response=CloudStatistics,
    errors=ERRORS,
)
def get_cloud_statistics(ctx: RequestContext) -> CloudStatistics:
    return deps.cloud_statistics_service().statistics(_access(ctx))

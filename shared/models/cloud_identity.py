"""Users, teams (projects) and role assignments of an OpenStack cloud, as the v1 API shows them.

Passwords are write-only: ``SecretStr`` on the way in, never in a response, except the one
``CloudUserCreated.password`` the service generated itself, returned once on creation.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, SecretStr

from shared.models.base import ApiModel

_EDGE = r"\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000/"
# A name's first and last characters are none that ``str.strip`` removes: the models strip
# whitespace before the pattern applies, so a name the pattern let end in U+0085 would be
# refused after stripping although the published schema accepted it (found by fuzzing).
_OS_NAME = rf"^[^{_EDGE}](?:[^\x00-\x1f\x7f-\x9f/]{{0,253}}[^{_EDGE}])?$"
"""Keystone names: 1-255 characters, no control characters (nor ``/``, to stay path-safe)."""
_EMAIL = r"^[^@\s]{1,64}@[^@\s]{1,255}$"
_ID = r"^[A-Za-z0-9_-]{1,64}$"

_Password = Field(None, min_length=8, max_length=4096, description="Write-only; never returned or logged.")


class CloudUserCreate(ApiModel):
    """A user to create; without ``password`` one is generated and returned once."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(pattern=_OS_NAME, examples=["ada"])
    display_name: str | None = Field(None, max_length=255, examples=["Ada Lovelace"])
    email: str | None = Field(None, max_length=320, pattern=_EMAIL)
    password: SecretStr | None = _Password
    default_project_id: str | None = Field(None, pattern=_ID)
    enabled: bool = True


class CloudUserPatch(ApiModel):
    """Only what is given changes; an empty body changes nothing and answers the user as it is."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    display_name: str | None = Field(None, max_length=255)
    email: str | None = Field(None, max_length=320, pattern=_EMAIL)
    password: SecretStr | None = _Password
    enabled: bool | None = None


class CloudUser(ApiModel):
    id: str
    name: str
    display_name: str | None = None
    email: str | None = None
    enabled: bool = True
    domain_id: str | None = None
    default_project_id: str | None = None


class CloudUserCreated(CloudUser):
    password: str | None = Field(
        None, description="The generated password, shown this once (absent when you gave one)."
    )


class CloudUserList(ApiModel):
    items: list[CloudUser]


class TeamCreate(ApiModel):
    """A team is an OpenStack project with a billing account."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(pattern=_OS_NAME, examples=["research"])
    description: str | None = Field(None, max_length=1024)
    domain_id: str | None = Field(None, pattern=_ID, description="Default: the credential's project domain.")


class Team(ApiModel):
    id: str
    name: str
    description: str | None = None
    domain_id: str | None = None
    enabled: bool = True
    billing_account_id: str | None = Field(None, description="The team's billing account (opened with the team).")


class TeamList(ApiModel):
    items: list[Team]


class RoleAssignmentCreate(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    user_id: str = Field(pattern=_ID)
    role: str = Field(pattern=_OS_NAME, description="A role name (member, admin, reader...) or id.")


class RoleAssignmentChange(ApiModel):
    """PATCH: replace the user's ``role`` in the team by ``new_role``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    user_id: str = Field(pattern=_ID)
    role: str = Field(pattern=_OS_NAME)
    new_role: str = Field(pattern=_OS_NAME)


class RoleAssignment(ApiModel):
    team_id: str
    user_id: str
    user_name: str | None = None
    role_id: str
    role: str | None = None


class RoleAssignmentList(ApiModel):
    items: list[RoleAssignment]

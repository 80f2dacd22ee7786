"""Key pairs, quotas, limits and statistics of an OpenStack cloud, as the v1 API shows them."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from shared.models.base import ApiModel

KeyType = Literal["ssh", "x509"]
KEY_NAME_PATTERN = r"^[A-Za-z0-9 _.@-]{1,255}$"
"""What Nova accepts as a key pair name."""


class KeyPairCreate(ApiModel):
    """Without ``public_key`` the cloud generates the pair and the private key is returned once."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(pattern=KEY_NAME_PATTERN, examples=["laptop"])
    key_type: KeyType = "ssh"
    public_key: str | None = Field(
        None, min_length=1, max_length=16_384, description="An OpenSSH public key, or a PEM certificate for x509."
    )

    @model_validator(mode="after")
    def _no_private_key(self) -> KeyPairCreate:
        if self.public_key is not None and "PRIVATE KEY" in self.public_key:
            raise ValueError("public_key must not be a private key")
        return self


class KeyPair(ApiModel):
    name: str
    key_type: KeyType | str = "ssh"
    fingerprint: str | None = None
    public_key: str | None = None
    user_id: str | None = None


class KeyPairCreated(KeyPair):
    private_key: str | None = Field(None, description="The generated private key, shown this once.")


class KeyPairList(ApiModel):
    items: list[KeyPair]


class TeamQuotas(ApiModel):
    """A project's quotas per service; a service the cloud does not run is null and named in ``missing``."""

    team_id: str
    compute: dict[str, int] | None = None
    volume: dict[str, int] | None = None
    network: dict[str, int] | None = None
    missing: list[str] = Field(default_factory=list, description="Services absent from the cloud's catalog.")


class LimitUsage(ApiModel):
    limit: int
    used: int | None = None


class CloudLimits(ApiModel):
    """The credential's own project: its compute limits with what is used (Concertim's ``/team/limits``)."""

    project_id: str | None = None
    compute: dict[str, LimitUsage]


class CloudStatistics(ApiModel):
    """What the credential can see (Concertim's ``/statistics``); null where the service is absent."""

    servers: int | None = None
    stacks: int | None = None
    users: int | None = None
    projects: int | None = None
    missing: list[str] = Field(default_factory=list)

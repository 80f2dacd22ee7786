"""OpenStack clouds: one entry of a ``clouds.yaml``, the format OpenStack users already keep.

A cloud is a registered server of kind ``openstack``. Its ``CloudConfig`` is what the tenant
gives; the secrets in it (``password``, ``application_credential_secret``) are write-only:
they are ``SecretStr`` (hidden in ``repr``, a log line or a traceback), sealed with the
server's credentials and never part of a response (``CloudInfo`` is the public view).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any, Literal

from pydantic import ConfigDict, Field, SecretStr, model_validator

from shared.models.base import ApiModel

Interface = Literal["public", "internal", "admin"]

_PROCESS_KEY = secrets.token_bytes(32)
"""Keys ``CloudConfig.fingerprint``: a value derived from a password is never a plain hash, so no
copy of one (in memory, a dump or a log) lets anyone test password guesses offline."""

_IDENTITY_FIELDS = (
    "auth_url",
    "user_id",
    "username",
    "user_domain_id",
    "user_domain_name",
    "application_credential_id",
    "application_credential_name",
    "project_id",
    "project_name",
    "project_domain_id",
    "project_domain_name",
)

_Id = Field(None, min_length=1, max_length=255)
_Name = Field(None, min_length=1, max_length=255)


class CloudAuth(ApiModel):
    """``auth`` of a clouds.yaml entry: a password (with ``username`` or ``user_id``) or an
    application credential (``application_credential_id`` and ``_secret``), scoped to a project
    by name (with its domain) or id."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    auth_url: str = Field(min_length=1, max_length=2048, examples=["https://keystone.example.com:5000/v3"])
    username: str | None = _Name
    user_id: str | None = _Id
    password: SecretStr | None = Field(None, min_length=1, max_length=4096, description="Write-only.")
    application_credential_id: str | None = _Id
    application_credential_name: str | None = _Name
    application_credential_secret: SecretStr | None = Field(
        None, min_length=1, max_length=4096, description="Write-only."
    )
    project_name: str | None = _Name
    project_id: str | None = _Id
    user_domain_name: str | None = _Name
    user_domain_id: str | None = _Id
    project_domain_name: str | None = _Name
    project_domain_id: str | None = _Id

    @model_validator(mode="after")
    def _one_way_to_authenticate(self) -> CloudAuth:
        by_password = self.password is not None
        by_credential = self.application_credential_secret is not None
        if by_password == by_credential:
            raise ValueError("give password (with username or user_id) or application_credential_secret, not both")
        if by_password:
            if self.username is None and self.user_id is None:
                raise ValueError("a password needs username or user_id")
            if self.project_name is None and self.project_id is None:
                raise ValueError("give project_name or project_id")
        elif self.application_credential_id is None and self.application_credential_name is None:
            raise ValueError("application_credential_secret needs application_credential_id")
        return self

    @property
    def method(self) -> Literal["password", "application_credential"]:
        return "password" if self.password is not None else "application_credential"


class CloudConfig(ApiModel):
    """One clouds.yaml entry. ``cacert`` is PEM text here (a file path means nothing to a service);
    ``verify: false`` turns TLS verification off and is reported as a warning."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    auth: CloudAuth
    auth_type: Literal["password", "v3password", "v3applicationcredential"] | None = None
    region_name: str | None = Field(None, min_length=1, max_length=255, examples=["RegionOne"])
    interface: Interface = "public"
    identity_api_version: Literal[3, "3"] | None = None
    cacert: str | None = Field(None, min_length=1, max_length=20_000, description="PEM certificates to trust.")
    verify: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> CloudConfig:
        wants = self.auth_type
        if wants in ("password", "v3password") and self.auth.method != "password":
            raise ValueError(f"auth_type {wants} needs a password")
        if wants == "v3applicationcredential" and self.auth.method != "application_credential":
            raise ValueError("auth_type v3applicationcredential needs application_credential_secret")
        if self.cacert is not None:
            if "PRIVATE KEY" in self.cacert:
                raise ValueError("cacert must hold certificates only, never a private key")
            if "-----BEGIN CERTIFICATE-----" not in self.cacert:
                raise ValueError("cacert must be PEM certificates (the text, not a file path)")
        if self.cacert is not None and not self.verify:
            raise ValueError("give cacert or verify: false, not both")
        return self

    # ------------------------------------------------------------ what the provider and storage use

    def secret_dict(self) -> dict[str, Any]:
        """The whole entry with its secrets in clear: only to seal it, or to authenticate."""
        data = self.model_dump(mode="json", exclude_none=True)
        auth = data["auth"]
        for name in ("password", "application_credential_secret"):
            value = getattr(self.auth, name)
            if value is not None:
                auth[name] = value.get_secret_value()
        return data

    def fingerprint(self) -> str:
        """An HMAC-SHA-256 of the whole entry, secrets included, under a key that lives in this process
        only: a changed credential is another connection, and the value says nothing about a password
        to anyone without the key (not a cache key, log field or id: ``identity`` is for those)."""
        text = json.dumps(self.secret_dict(), sort_keys=True).encode()
        return hmac.new(_PROCESS_KEY, text, hashlib.sha256).hexdigest()

    def identity(self) -> str:
        """A SHA-256 of who logs in where (URL, user, project, their domains, region and interface),
        with no secret in it: the same login whatever its password, the connection cache's key and
        the id log lines name such a cloud by."""
        auth = self.auth
        who = [str(getattr(auth, name) or "") for name in _IDENTITY_FIELDS]
        who += [self.region_name or "", self.interface]
        return hashlib.sha256(json.dumps(who).encode()).hexdigest()

    def public(self) -> CloudInfo:
        auth = self.auth
        return CloudInfo(
            auth_url=auth.auth_url,
            auth_method=auth.method,
            username=auth.username,
            user_id=auth.user_id,
            application_credential_id=auth.application_credential_id,
            project_name=auth.project_name,
            project_id=auth.project_id,
            user_domain_name=auth.user_domain_name,
            project_domain_name=auth.project_domain_name,
            region_name=self.region_name,
            interface=self.interface,
            verify=self.verify,
            cacert_set=self.cacert is not None,
        )


class CloudInfo(ApiModel):
    """A cloud's settings as shown: everything but the secrets."""

    auth_url: str
    auth_method: Literal["password", "application_credential"]
    username: str | None = None
    user_id: str | None = None
    application_credential_id: str | None = None
    project_name: str | None = None
    project_id: str | None = None
    user_domain_name: str | None = None
    project_domain_name: str | None = None
    region_name: str | None = None
    interface: Interface = "public"
    verify: bool = True
    cacert_set: bool = False

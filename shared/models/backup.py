"""Backup and restore of a tenant's servers and templates (seed 000).

The export document is also the import body: ``{"version": 1, "exported_at", "servers",
"templates"}``. Server credentials appear only when asked for, and then only as the
sealed ciphertext this deployment stored (base64, with the id of the key that sealed it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from shared.models.base import ApiModel
from shared.models.clouds import CloudInfo
from shared.models.servers import NAME_PATTERN, NAMESPACE_PATTERN, CredentialsKind, ServerKind, _check_labels
from shared.models.templates import TemplateBody

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class ExportQuery(ApiModel):
    model_config = ConfigDict(extra="ignore")

    include_credentials: bool = Field(
        False, description="Add each server's sealed credentials (ciphertext only this deployment can open)."
    )


class SealedCredentials(ApiModel):
    """Credentials as stored: AES-256-GCM ciphertext bound to tenant and server id."""

    model_config = ConfigDict(extra="forbid")

    kind: CredentialsKind
    key_id: str = Field(min_length=1, max_length=64, description="Fingerprint of the key that sealed them.")
    ciphertext: str = Field(min_length=1, max_length=200_000, description="base64 of nonce + ciphertext + tag.")


class ExportedServer(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=100, pattern=NAME_PATTERN)
    kind: ServerKind = "kubernetes"
    api_url: str = Field(min_length=1, max_length=2048)
    context: str | None = Field(None, min_length=1, max_length=253)
    namespace: str | None = Field(None, pattern=NAMESPACE_PATTERN)
    cloud: CloudInfo | None = Field(None, description="An OpenStack cloud's public settings (kind openstack).")
    labels: dict[str, str] = Field(default_factory=dict, max_length=50)
    credentials: SealedCredentials | None = Field(
        None, description="Absent: not in the document (an import keeps what is stored)."
    )
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("labels")
    @classmethod
    def _labels(cls, labels: dict[str, str]) -> dict[str, str]:
        _check_labels(labels)
        return labels


class ExportedTemplate(TemplateBody):
    id: str = Field(pattern=ID_PATTERN)
    created_at: datetime | None = None
    updated_at: datetime | None = None


class ServerExport(ApiModel):
    """A tenant's servers and own templates (built-in templates are not exported)."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    exported_at: datetime
    servers: list[ExportedServer] = Field(default_factory=list, max_length=1000)
    templates: list[ExportedTemplate] = Field(default_factory=list, max_length=1000)


class ImportIssue(ApiModel):
    kind: Literal["server", "template"]
    id: str
    code: str
    message: str


class ImportResult(ApiModel):
    """Ids (servers and templates) by outcome; a server in ``errors`` may also be imported
    without credentials (code ``CREDENTIALS_NOT_RESTORED``)."""

    created: list[str]
    updated: list[str]
    skipped: list[str]
    errors: list[ImportIssue]

"""Backup and restore of a tenant's servers and own templates (seed 000).

Credentials in an export
    Left out unless ``include_credentials`` is asked for; then each server carries the
    ciphertext exactly as stored: base64 of AES-256-GCM output plus the id of the key that
    sealed it. No plaintext ever leaves the service. The ciphertext opens only with this
    deployment's credentials key (``CLOUDPLANE_CREDENTIALS_KEY``, or the previous one during
    a rotation), and its associated data is ``<tenant id>:<server id>``: it opens only for
    the same server id in the same tenant. Restoring a backup into the tenant it came from,
    under the same ids, in the same deployment therefore brings the credentials back;
    anywhere else they stay a useless blob.

Import
    Templates first, then servers, each by id: missing ones are created, ones whose
    content differs are updated, identical ones are skipped. Per-item failures (a taken
    name, an endpoint that breaks the address rules, a kubeconfig that points elsewhere) go
    into ``errors`` and that item is not imported; the rest still is.

    Credentials in the document are opened again here, with this deployment's keys and the
    importing tenant's id. When they do not open (another tenant, another deployment, an
    unknown or rotated-out key, a damaged blob) the server is still imported without
    them (an existing server keeps the credentials it has) and an error entry with code
    ``CREDENTIALS_NOT_RESTORED`` says so: importing into another tenant never makes
    another tenant's credentials usable. Credentials that do open are sealed again with
    the current key. A server given without credentials keeps what is stored.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from shared.clock import Clock
from shared.errors import DomainError, ValidationFailed
from shared.logs import log_event
from shared.models.backup import (
    ExportedServer,
    ExportedTemplate,
    ImportIssue,
    ImportResult,
    SealedCredentials,
    ServerExport,
)
from shared.models.clouds import CloudConfig, CloudInfo
from shared.models.servers import CredentialsInfo, CredentialsKind, Server
from shared.models.templates import TemplateBody
from shared.models.tenants import Tenant
from shared.providers import kubernetes as kube
from shared.security.credentials import Sealed
from shared.services.endpoints import EndpointPolicy
from shared.services.server_credentials import ServerCredentials
from shared.services.servers import default_namespace
from shared.services.templates import TemplatesService
from shared.storage.servers import ServerRecord, ServerRepository

logger = logging.getLogger("cloudplane.backup")


def _exported_server(record: ServerRecord, include_credentials: bool) -> ExportedServer:
    server = record.server
    credentials = None
    if include_credentials and record.sealed is not None:
        credentials = SealedCredentials(
            kind=server.credentials.kind or "token",
            key_id=record.sealed.key_id,
            ciphertext=base64.b64encode(record.sealed.blob).decode(),
        )
    return ExportedServer(
        id=server.id,
        name=server.name,
        kind=server.kind,
        cloud=server.cloud,
        api_url=server.api_url,
        context=server.context,
        namespace=server.namespace,
        labels=server.labels,
        credentials=credentials,
        created_at=server.created_at,
        updated_at=server.updated_at,
    )


class _Report:
    def __init__(self) -> None:
        self.result = ImportResult(created=[], updated=[], skipped=[], errors=[])

    def error(self, kind: str, item_id: str, code: str, message: str) -> None:
        self.result.errors.append(
            ImportIssue.model_validate({"kind": kind, "id": item_id, "code": code, "message": message})
        )


class BackupService:
    def __init__(
        self,
        servers: ServerRepository,
        templates: TemplatesService,
        endpoints: EndpointPolicy,
        credentials: ServerCredentials,
        clock: Clock,
        forget_cloud: Callable[[str, str], None] | None = None,
    ) -> None:
        self._servers = servers
        self._templates = templates
        self._endpoints = endpoints
        self._credentials = credentials
        self._clock = clock
        self._forget_cloud = forget_cloud

    # --- export ---------------------------------------------------------------------------

    def export(self, tenant: Tenant, include_credentials: bool) -> ServerExport:
        records = sorted(self._servers.records(tenant.id), key=lambda r: r.server.id)
        document = ServerExport(
            version=1,
            exported_at=self._clock(),
            servers=[_exported_server(record, include_credentials) for record in records],
            templates=[
                ExportedTemplate(**template.model_dump(exclude={"builtin"}))
                for template in self._templates.all_tenant_templates(tenant.id)
            ],
        )
        log_event(
            logger,
            "servers_exported",
            tenant_id=tenant.id,
            servers=len(document.servers),
            templates=len(document.templates),
            include_credentials=include_credentials,
        )
        return document

    # --- import ---------------------------------------------------------------------------

    def restore(self, tenant: Tenant, document: ServerExport) -> ImportResult:
        report = _Report()
        for template in document.templates:
            try:
                self._import_template(tenant, template, report)
            except DomainError as error:
                report.error("template", template.id, error.code, error.message)
        for server in document.servers:
            try:
                self._import_server(tenant, server, report)
            except DomainError as error:
                report.error("server", server.id, error.code, error.message)
        result = report.result
        log_event(
            logger,
            "servers_imported",
            tenant_id=tenant.id,
            created=len(result.created),
            updated=len(result.updated),
            skipped=len(result.skipped),
            errors=len(result.errors),
        )
        return result

    def _import_template(self, tenant: Tenant, item: ExportedTemplate, report: _Report) -> None:
        body = TemplateBody.model_validate(item.model_dump(include=set(TemplateBody.model_fields)))
        existing = self._templates.find(tenant.id, item.id)
        if existing is None:
            self._templates.store_new(tenant.id, item.id, body)
            report.result.created.append(item.id)
            return
        current = TemplateBody.model_validate(existing.model_dump(include=set(TemplateBody.model_fields)))
        if current == body:
            report.result.skipped.append(item.id)
            return
        self._templates.store_over(tenant.id, existing, body)
        report.result.updated.append(item.id)

    def _open_given(self, tenant: Tenant, item: ExportedServer, report: _Report) -> dict[str, Any] | None:
        """The document's credentials for this server, if they open here; else an error entry and None."""
        given = item.credentials
        if given is None:
            return None
        try:
            blob = base64.b64decode(given.ciphertext, validate=True)
            secret = self._credentials.open(Sealed(given.key_id, blob), tenant.id, item.id)
            if not isinstance(secret, dict):
                raise ValueError("unexpected content")
            if item.kind == "openstack" and not isinstance(secret.get("cloud"), dict):
                raise ValueError("unexpected content")
            if item.kind == "kubernetes" and not (secret.get("kubeconfig") or "token" in secret):
                raise ValueError("unexpected content")
            return secret
        except (binascii.Error, ValueError, DomainError) as error:
            reason = error.code if isinstance(error, DomainError) else "CREDENTIALS_MALFORMED"
            report.error(
                "server",
                item.id,
                "CREDENTIALS_NOT_RESTORED",
                "The credentials in the document do not open with this deployment's keys for this tenant and "
                f"server ({reason}); the server is imported without them.",
            )
            return None

    def _cloud_secret(
        self, item: ExportedServer, secret: dict[str, Any] | None
    ) -> tuple[CredentialsKind | None, CloudInfo | None]:
        """A cloud's credentials kind and public settings: from the opened entry when there is one
        (its auth_url must be the server's api_url), else as the document gives them."""
        if secret is None:
            return None, item.cloud
        try:
            cloud = CloudConfig.model_validate(secret["cloud"])
        except ValidationError:
            raise ValidationFailed(
                "The cloud in the credentials is not a valid entry.", code="CREDENTIALS_MALFORMED"
            ) from None
        self._endpoints.check(cloud.auth.auth_url, "cloud.auth.auth_url")
        if cloud.auth.auth_url != item.api_url:
            raise ValidationFailed("api_url is not the auth_url of the cloud's credentials.", code="API_URL_MISMATCH")
        return "cloud", cloud.public()

    def _stored_secret(self, record: ServerRecord) -> dict[str, Any] | None:
        if record.sealed is None:
            return None
        try:
            value = self._credentials.open(record.sealed, record.tenant_id, record.server.id)
        except DomainError:
            return None
        return value if isinstance(value, dict) else None

    def _import_server(self, tenant: Tenant, item: ExportedServer, report: _Report) -> None:
        self._endpoints.check(item.api_url)
        secret = self._open_given(tenant, item, report)
        kind: CredentialsKind | None = None
        cloud_info = item.cloud
        if item.kind == "openstack":
            kind, cloud_info = self._cloud_secret(item, secret)
        elif item.cloud is not None:
            raise ValidationFailed("cloud goes with kind openstack.", code="SERVER_KIND_MISMATCH")
        elif secret is not None:
            kind = "kubeconfig" if secret.get("kubeconfig") else "token"
            if kind == "kubeconfig":
                derived = self._endpoints.kubeconfig_endpoint(str(secret["kubeconfig"]), item.context)
                if derived.rstrip("/") != item.api_url.rstrip("/"):
                    raise ValidationFailed(
                        "api_url is not the server the kubeconfig's context points at.", code="API_URL_MISMATCH"
                    )
        now = self._clock()
        existing = self._servers.get(tenant.id, item.id)
        fields: dict[str, Any] = {
            "name": item.name,
            "api_url": item.api_url.rstrip("/"),
            "context": item.context,
            "namespace": item.namespace or default_namespace(tenant),
            "labels": item.labels,
        }
        if item.kind == "openstack":
            fields |= {"api_url": item.api_url, "namespace": None, "context": None, "cloud": cloud_info}
        if existing is not None and existing.server.kind != item.kind:
            raise ValidationFailed(
                f"Server {item.id} is of kind {existing.server.kind} here; a server's kind does not change.",
                code="SERVER_KIND_CHANGE",
            )
        if existing is None:
            sealed = self._credentials.seal(tenant.id, item.id, secret) if secret else None
            server = Server(
                id=item.id,
                kind=item.kind,
                **fields,
                credentials=CredentialsInfo(set=sealed is not None, kind=kind, updated_at=now if sealed else None),
                created_at=item.created_at or now,
                updated_at=now,
            )
            self._servers.create(ServerRecord(tenant.id, server, sealed, 1))
            report.result.created.append(item.id)
            log_event(logger, "server_imported", tenant_id=tenant.id, server_id=item.id, credentials_kind=kind)
            return

        old = existing.server
        same_fields = all(getattr(old, name) == value for name, value in fields.items())
        same_credentials = secret is None or secret == self._stored_secret(existing)
        if same_fields and same_credentials:
            report.result.skipped.append(item.id)
            return
        sealed, version, credentials = existing.sealed, existing.credentials_version, old.credentials
        if not same_credentials:
            assert secret is not None
            sealed = self._credentials.seal(tenant.id, item.id, secret)
            credentials = CredentialsInfo(set=True, kind=kind, updated_at=now)
        elif old.credentials.kind == "kubeconfig" and (fields["api_url"] != old.api_url or item.context != old.context):
            raise ValidationFailed(
                "This server connects with a kubeconfig: its api_url and context change only with its credentials.",
                code="CREDENTIALS_REQUIRED",
            )
        reconnect = not same_credentials or fields["api_url"] != old.api_url or item.context != old.context
        if reconnect:
            version += 1
        server = old.model_copy(update={**fields, "credentials": credentials, "updated_at": now})
        self._servers.replace(existing, ServerRecord(tenant.id, server, sealed, version))
        if reconnect:
            kube.CLIENTS.forget(item.id)
            if self._forget_cloud is not None:
                self._forget_cloud(tenant.id, item.id)
        report.result.updated.append(item.id)
        log_event(
            logger,
            "server_import_updated",
            tenant_id=tenant.id,
            server_id=item.id,
            credentials_changed=not same_credentials,
        )

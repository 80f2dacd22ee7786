"""Servers: registration, credentials at rest, the live check and usage.

Credentials are sealed before they reach storage and opened only to build a cluster
client; no response, error or log line carries them. The associated data of a ciphertext
is ``tenant id:server id``, so a blob moved onto another server does not open.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime

from shared import deps
from shared.config import get_settings
from shared.errors import NotFound, ServiceUnavailable, ValidationFailed
from shared.logs import log_event
from shared.models.common import Page, PageQuery
from shared.models.servers import (
    CredentialsInfo,
    CredentialsKind,
    ReasonCode,
    Server,
    ServerCreate,
    ServerPatch,
    ServerTest,
    ServerUpdate,
    ServerUsage,
)
from shared.models.tenants import Tenant
from shared.net.addresses import Checked, EndpointNotAllowed, check_endpoint
from shared.providers import kubeconfig
from shared.providers import kubernetes as kube
from shared.security.credentials import CredentialCipher, Sealed
from shared.storage.servers import ServerRecord

logger = logging.getLogger("cloudplane.servers")


def _now() -> datetime:
    return datetime.now(UTC)


def default_namespace(tenant: Tenant) -> str:
    """One namespace per tenant: ``cloudplane-<slug>``, cut to a valid 63-character name."""
    return f"cloudplane-{tenant.slug}"[:63].rstrip("-")


def _cipher() -> CredentialCipher:
    return CredentialCipher.from_settings(get_settings())


def _associated(tenant_id: str, server_id: str) -> bytes:
    return f"{tenant_id}:{server_id}".encode()


def check_url(url: str, field: str = "api_url") -> Checked:
    """The address rules of this deployment's settings on ``url``; ``EndpointNotAllowed`` if refused."""
    settings = get_settings()
    return check_endpoint(
        url,
        allow_private=settings.allow_private_endpoints,
        allowed_networks=settings.allowed_networks,
        field=field,
    )


def _refusal(error: EndpointNotAllowed) -> kube.ClusterError:
    reason: ReasonCode = "ENDPOINT_NOT_ALLOWED" if error.rule != "unresolvable" else "UNREACHABLE"
    return kube.ClusterError(reason, error.message)


def _cluster_address(url: str) -> str:
    """``Target.check`` for a kubeconfig's proxy: its checked address, or a ``ClusterError``."""
    try:
        return check_url(url, "kubeconfig.proxy-url").address
    except EndpointNotAllowed as error:
        raise _refusal(error) from None


def kubeconfig_endpoint(text: str, context: str | None) -> str:
    """The API URL of the kubeconfig's context, after the address rules on it and on its proxy."""
    model = kubeconfig.parse(text, context)
    if model.cluster.proxy_url is not None:
        check_url(model.cluster.proxy_url, "kubeconfig.proxy-url")
    return model.cluster.server


class _Wanted:
    """A server's desired connection settings, before sealing."""

    def __init__(
        self,
        *,
        kubeconfig: str | None,
        api_url: str | None,
        token: str | None,
        ca_bundle: str | None,
        context: str | None,
    ) -> None:
        self.kubeconfig, self.token, self.ca_bundle, self.context = kubeconfig, token, ca_bundle, context
        if kubeconfig is not None:
            self.api_url = kubeconfig_endpoint(kubeconfig, context)
            check_url(self.api_url, "kubeconfig.server")
        else:
            self.api_url = (api_url or "").rstrip("/")
            check_url(self.api_url)

    @property
    def kind(self) -> CredentialsKind | None:
        if self.kubeconfig is not None:
            return "kubeconfig"
        return "token" if self.token is not None or self.ca_bundle is not None else None

    def seal(self, tenant_id: str, server_id: str) -> Sealed | None:
        if self.kind is None:
            return None
        secret = (
            {"kubeconfig": self.kubeconfig}
            if self.kind == "kubeconfig"
            else {
                "token": self.token,
                "ca_bundle": self.ca_bundle,
            }
        )
        return _cipher().seal(json.dumps(secret).encode(), _associated(tenant_id, server_id))


def _open(record: ServerRecord) -> kube.Credentials:
    if record.sealed is None:
        return kube.Credentials()
    secret = json.loads(_cipher().open(record.sealed, _associated(record.tenant_id, record.server.id)))
    return kube.Credentials(
        kubeconfig=secret.get("kubeconfig"), token=secret.get("token"), ca_bundle=secret.get("ca_bundle")
    )


def _load(tenant_id: str, server_id: str) -> ServerRecord:
    record = deps.servers().get(tenant_id, server_id)
    if record is None:
        raise NotFound(f"Server {server_id} not found.", code="SERVER_NOT_FOUND", details={"server_id": server_id})
    return record


def create_server(tenant: Tenant, request: ServerCreate) -> Server:
    wanted = _Wanted(
        kubeconfig=request.kubeconfig,
        api_url=request.api_url,
        token=request.token,
        ca_bundle=request.ca_bundle,
        context=request.context,
    )
    server_id = uuid.uuid4().hex
    now = _now()
    sealed = wanted.seal(tenant.id, server_id)
    server = Server(
        id=server_id,
        name=request.name,
        api_url=wanted.api_url,
        context=request.context,
        namespace=request.namespace or default_namespace(tenant),
        labels=request.labels,
        credentials=CredentialsInfo(set=sealed is not None, kind=wanted.kind, updated_at=now if sealed else None),
        created_at=now,
        updated_at=now,
    )
    deps.servers().create(ServerRecord(tenant.id, server, sealed, 1))
    log_event(logger, "server_created", tenant_id=tenant.id, server_id=server_id, credentials_kind=wanted.kind)
    return server


def list_servers(tenant: Tenant, page: PageQuery) -> Page[Server]:
    return deps.servers().page(tenant.id, page)


def get_server(tenant: Tenant, server_id: str) -> Server:
    return _load(tenant.id, server_id).server


def _save(
    before: ServerRecord,
    *,
    name: str,
    namespace: str,
    labels: dict[str, str],
    context: str | None,
    wanted: _Wanted | None,
) -> Server:
    """Write the new state; ``wanted`` is None when the credentials and endpoint stay as they are."""
    now = _now()
    old = before.server
    if wanted is None:
        sealed, version, credentials, api_url = before.sealed, before.credentials_version, old.credentials, old.api_url
    else:
        sealed = wanted.seal(before.tenant_id, old.id)
        version = before.credentials_version + 1
        credentials = CredentialsInfo(set=sealed is not None, kind=wanted.kind, updated_at=now if sealed else None)
        api_url = wanted.api_url
    server = old.model_copy(
        update={
            "name": name,
            "api_url": api_url,
            "context": context,
            "namespace": namespace,
            "labels": labels,
            "credentials": credentials,
            "updated_at": now,
        }
    )
    deps.servers().replace(before, ServerRecord(before.tenant_id, server, sealed, version))
    if wanted is not None:
        kube.CLIENTS.forget(old.id)
        log_event(
            logger,
            "server_credentials_changed",
            tenant_id=before.tenant_id,
            server_id=old.id,
            credentials_kind=wanted.kind,
        )
    return server


def replace_server(tenant: Tenant, server_id: str, request: ServerUpdate) -> Server:
    before = _load(tenant.id, server_id)
    wanted = _Wanted(
        kubeconfig=request.kubeconfig,
        api_url=request.api_url,
        token=request.token,
        ca_bundle=request.ca_bundle,
        context=request.context,
    )
    return _save(
        before,
        name=request.name,
        namespace=request.namespace or default_namespace(tenant),
        labels=request.labels,
        context=request.context,
        wanted=wanted,
    )


def patch_server(tenant: Tenant, server_id: str, request: ServerPatch) -> Server:
    before = _load(tenant.id, server_id)
    old = before.server
    given = request.model_fields_set
    context = request.context if "context" in given else old.context
    wanted: _Wanted | None = None
    if request.kubeconfig is not None:
        wanted = _Wanted(kubeconfig=request.kubeconfig, api_url=None, token=None, ca_bundle=None, context=context)
    elif {"api_url", "token", "ca_bundle"} & given:
        current = _open(before) if old.credentials.kind == "token" else kube.Credentials()
        wanted = _Wanted(
            kubeconfig=None,
            api_url=request.api_url or old.api_url,
            token=request.token if "token" in given else current.token,
            ca_bundle=request.ca_bundle if "ca_bundle" in given else current.ca_bundle,
            context=None,
        )
        context = None
    elif "context" in given and old.credentials.kind == "kubeconfig":
        current = _open(before)
        wanted = _Wanted(kubeconfig=current.kubeconfig, api_url=None, token=None, ca_bundle=None, context=context)
    elif "context" in given and context is not None:
        raise ValidationFailed("context selects a kubeconfig context; this server has no kubeconfig.")
    return _save(
        before,
        name=request.name or old.name,
        namespace=request.namespace or old.namespace,
        labels=request.labels if request.labels is not None else old.labels,
        context=context,
        wanted=wanted,
    )


def delete_server(tenant: Tenant, server_id: str) -> None:
    record = _load(tenant.id, server_id)
    deps.servers().delete(record)
    kube.CLIENTS.forget(server_id)
    log_event(logger, "server_deleted", tenant_id=tenant.id, server_id=server_id)


def target(record: ServerRecord, checked: Checked | None = None) -> kube.Target:
    """How to reach a stored server, checked now: what a name resolves to can change.

    The address rules run on every use and the client connects to the address they
    checked (``Target.address``), never to a second resolution of the name. Credentials are
    opened only if a client must be built. ``ClusterError`` (``ENDPOINT_NOT_ALLOWED`` or
    ``UNREACHABLE``) if the endpoint is refused now; ``checked`` if the caller just checked it.
    """
    if checked is None:
        try:
            checked = check_url(record.server.api_url)
        except EndpointNotAllowed as error:
            raise _refusal(error) from None
    return kube.Target(
        server_id=record.server.id,
        version=record.credentials_version,
        api_url=record.server.api_url,
        context=record.server.context,
        load=lambda: _open(record),
        address=checked.address,
        check=_cluster_address,
    )


def probe_server(tenant: Tenant, server_id: str) -> ServerTest:
    """A live check: ``ok: false`` with a reason for a cluster that cannot be used, never an error."""
    record = _load(tenant.id, server_id)
    try:
        where = target(record)
    except kube.ClusterError as error:
        return ServerTest(ok=False, reason=error.reason, message=error.message, checked_at=_now())
    result = kube.probe(where, get_settings().k8s_timeout_seconds)
    log_event(
        logger,
        "server_tested",
        tenant_id=tenant.id,
        server_id=server_id,
        ok=result.ok,
        reason=result.reason,
        latency_ms=result.latency_ms,
    )
    return result


def server_usage(tenant: Tenant, server_id: str) -> ServerUsage:
    record = _load(tenant.id, server_id)
    checked = check_url(record.server.api_url)  # a refused endpoint is a 422 here
    try:
        return kube.usage(target(record, checked), get_settings().k8s_timeout_seconds)
    except kube.ClusterError as error:
        raise ServiceUnavailable(
            f"The cluster could not be read: {error.message}",
            code="SERVER_UNAVAILABLE",
            details={"server_id": server_id, "reason": error.reason},
        ) from None

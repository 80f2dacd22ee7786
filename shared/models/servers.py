"""Servers: the Kubernetes clusters a tenant registers, their live check and usage.

Credentials go in (a kubeconfig, or an API URL with a bearer token and CA bundle) and
never come out: a ``Server`` only says whether they are set, of which kind and since when.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from shared.models.base import ApiModel
from shared.models.clouds import CloudConfig, CloudInfo

NAME_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$"
NAMESPACE_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
LABEL_KEY_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?$"

ServerKind = Literal["kubernetes", "openstack"]
CredentialsKind = Literal["kubeconfig", "token", "cloud"]
ReasonCode = Literal[
    "UNREACHABLE",
    "UNAUTHORIZED",
    "FORBIDDEN",
    "TIMEOUT",
    "TLS_ERROR",
    "BAD_CREDENTIALS",
    "ENDPOINT_NOT_ALLOWED",
    "API_ERROR",
    "BAD_CATALOG",
]

_Kubeconfig = Field(
    None, min_length=1, max_length=40_000, description="Kubeconfig YAML text (write-only, encrypted at rest)."
)
_ApiUrl = Field(None, max_length=2048, examples=["https://10.0.0.4:6443"], description="Kubernetes API URL.")
_Token = Field(None, min_length=1, max_length=8_192, description="Bearer token (write-only, encrypted at rest).")
_CaBundle = Field(None, min_length=1, max_length=20_000, description="PEM certificates to trust for the API's TLS.")
_Context = Field(None, min_length=1, max_length=253, description="Kubeconfig context (default: its current one).")
_Namespace = Field(
    None, pattern=NAMESPACE_PATTERN, description="Namespace Cloudplane uses there (default: one per tenant)."
)


LABELS_SCHEMA: JsonDict = {
    "propertyNames": {"pattern": LABEL_KEY_PATTERN},
    "additionalProperties": {"type": "string", "maxLength": 256},
}
"""What ``_check_labels`` enforces, stated in the OpenAPI document too."""


def _check_labels(labels: dict[str, str] | None) -> None:
    for position, (key, value) in enumerate((labels or {}).items(), start=1):
        if not re.fullmatch(LABEL_KEY_PATTERN, key) or len(value) > 256:
            raise ValueError(f"label #{position}: keys are 1-63 letters, digits, '._/-'; values at most 256 characters")


def _check_ca(ca_bundle: str | None) -> None:
    if ca_bundle is not None and "PRIVATE KEY" in ca_bundle:
        raise ValueError("ca_bundle must hold certificates only, never a private key")
    if ca_bundle is not None and "-----BEGIN CERTIFICATE-----" not in ca_bundle:
        raise ValueError("ca_bundle must be PEM certificates")


_KUBERNETES_FIELDS = ("kubeconfig", "api_url", "token", "ca_bundle", "context", "namespace")


class _ServerFields(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100, pattern=NAME_PATTERN, examples=["gpu-east-1"])
    kind: ServerKind = Field("kubernetes", description="kubernetes (default) or openstack.")
    cloud: CloudConfig | None = Field(
        None, description="An OpenStack cloud: one clouds.yaml entry (kind openstack; its secrets write-only)."
    )
    kubeconfig: str | None = _Kubeconfig
    api_url: str | None = _ApiUrl
    token: str | None = _Token
    ca_bundle: str | None = _CaBundle
    context: str | None = _Context
    namespace: str | None = _Namespace
    labels: dict[str, str] = Field(default_factory=dict, max_length=50, json_schema_extra=LABELS_SCHEMA)

    @model_validator(mode="after")
    def _one_way_to_connect(self) -> _ServerFields:
        _check_labels(self.labels)
        if self.kind == "openstack":
            if self.cloud is None:
                raise ValueError("an openstack server needs cloud (one clouds.yaml entry)")
            given = [name for name in _KUBERNETES_FIELDS if getattr(self, name) is not None]
            if given:
                raise ValueError(f"{', '.join(given)} belong to kubernetes servers, not to kind openstack")
            return self
        if self.cloud is not None:
            raise ValueError("cloud goes with kind openstack")
        if (self.kubeconfig is None) == (self.api_url is None):
            raise ValueError("give either kubeconfig, or api_url (with token and ca_bundle as needed)")
        if self.kubeconfig is not None and (self.token is not None or self.ca_bundle is not None):
            raise ValueError("token and ca_bundle go with api_url, not with kubeconfig")
        if self.api_url is not None and self.context is not None:
            raise ValueError("context selects a kubeconfig context; it needs kubeconfig")
        _check_labels(self.labels)
        _check_ca(self.ca_bundle)
        return self


class ServerCreate(_ServerFields):
    """Register a cluster: ``kubeconfig`` or ``api_url`` (+ ``token``, ``ca_bundle``)."""


class ServerUpdate(_ServerFields):
    """PUT: the whole server, credentials included (what is left out is gone)."""


class ServerPatch(ApiModel):
    """PATCH: only what is given changes; credentials left out are kept.

    Giving ``kubeconfig`` switches to kubeconfig credentials; giving any of ``api_url``,
    ``token`` or ``ca_bundle`` switches to (or amends) token credentials.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(None, min_length=1, max_length=100, pattern=NAME_PATTERN)
    cloud: CloudConfig | None = Field(None, description="A cloud's new clouds.yaml entry (openstack servers).")
    kubeconfig: str | None = _Kubeconfig
    api_url: str | None = _ApiUrl
    token: str | None = _Token
    ca_bundle: str | None = _CaBundle
    context: str | None = _Context
    namespace: str | None = _Namespace
    labels: dict[str, str] | None = Field(None, max_length=50, json_schema_extra=LABELS_SCHEMA)

    @model_validator(mode="after")
    def _consistent(self) -> ServerPatch:
        if self.cloud is not None and any(getattr(self, name) is not None for name in _KUBERNETES_FIELDS):
            raise ValueError("cloud (openstack) and kubernetes fields do not go together")
        if self.kubeconfig is not None and (
            self.api_url is not None or self.token is not None or self.ca_bundle is not None
        ):
            raise ValueError("give kubeconfig or api_url/token/ca_bundle, not both")
        _check_labels(self.labels)
        _check_ca(self.ca_bundle)
        return self


class CredentialsInfo(ApiModel):
    set: bool = Field(description="Whether credentials are stored (they are never returned).")
    kind: CredentialsKind | None = None
    updated_at: datetime | None = Field(None, description="When the credentials last changed.")


class Server(ApiModel):
    id: str
    name: str
    kind: ServerKind = Field("kubernetes", description="kubernetes (a cluster) or openstack (a cloud).")
    api_url: str = Field(description="The cluster's API URL, or the cloud's Keystone auth_url.")
    context: str | None = None
    namespace: str | None = Field(None, description="The namespace Cloudplane uses (kubernetes servers).")
    labels: dict[str, str]
    credentials: CredentialsInfo
    cloud: CloudInfo | None = Field(None, description="An OpenStack cloud's settings (its secrets never shown).")
    created_at: datetime
    updated_at: datetime


class Capacity(ApiModel):
    cpu: float = Field(description="Allocatable CPU cores.")
    memory_gb: float = Field(description="Allocatable memory in GiB.")
    gpus: int = Field(description="Allocatable nvidia.com/gpu devices.")


class CatalogEndpoint(ApiModel):
    interface: str
    region: str | None = None
    url: str


class CatalogService(ApiModel):
    type: str
    name: str | None = None
    endpoints: list[CatalogEndpoint]


class CloudProject(ApiModel):
    id: str
    name: str | None = None
    domain_id: str | None = None


class ServerTest(ApiModel):
    """A live check: ``ok: false`` with a reason code when the cluster cannot be used."""

    ok: bool
    reason: ReasonCode | None = None
    message: str | None = None
    kubernetes_version: str | None = None
    node_count: int | None = None
    capacity: Capacity | None = None
    keystone_version: str | None = Field(None, description="OpenStack: the identity API version in use.")
    catalog: list[CatalogService] | None = Field(None, description="OpenStack: services and endpoints of the region.")
    project: CloudProject | None = Field(None, description="OpenStack: the project the credential is scoped to.")
    roles: list[str] | None = Field(None, description="OpenStack: the roles the credential holds there.")
    warnings: list[str] = Field(default_factory=list)
    latency_ms: float | None = None
    checked_at: datetime


class ResourceUsage(ApiModel):
    capacity: float
    allocated: float = Field(description="Sum of the requests of the pods that are not finished.")
    free: float


class ServerUsage(ApiModel):
    server_id: str
    node_count: int
    pod_count: int = Field(description="Pods counted (not Succeeded or Failed).")
    resources: dict[str, ResourceUsage] = Field(
        description="cpu (cores), memory_gb and ephemeral_storage_gb (GiB), nvidia.com/gpu (devices)."
    )
    measured_at: datetime


class CloudsYamlImport(ApiModel):
    """Register the clouds of a clouds.yaml at once, each a server named after its cloud."""

    model_config = ConfigDict(extra="forbid")

    # 100,000 characters: even escaped as \uXXXX the body stays under the 1 MB body limit, so a
    # schema-valid body is never a 413 and one over the length is a 422 that says so.
    clouds_yaml: str = Field(min_length=1, max_length=100_000, description="The clouds.yaml text (secrets in it).")
    clouds: list[Annotated[str, Field(pattern=NAME_PATTERN)]] | None = Field(
        None, min_length=1, max_length=100, description="Only these clouds of the file (default: all of them)."
    )
    labels: dict[str, str] = Field(default_factory=dict, max_length=50, json_schema_extra=LABELS_SCHEMA)

    @model_validator(mode="after")
    def _labels(self) -> CloudsYamlImport:
        _check_labels(self.labels)
        return self


class CloudsYamlImported(ApiModel):
    servers: list[Server]

"""Kubernetes clusters through the official ``kubernetes`` client.

``kubernetes`` is imported inside the functions that need it, so cold start and requests
that touch no cluster never load it. One ``ApiClient`` per server is built on first use
and reused across invocations, keyed by the server id and its credentials version, so a
credentials change builds a new one. Its ``Configuration`` is built here from the strict
kubeconfig model (or the token and CA bundle), never by the client's own kubeconfig loader,
and it connects to the address the address rules checked (``Target.address``). Every
call carries ``_request_timeout`` and no retries, and ``probe`` never raises: a cluster
that cannot be used is ``ok: false`` with a reason code.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from shared.errors import DomainError
from shared.models.servers import Capacity, ReasonCode, ResourceUsage, ServerTest, ServerUsage
from shared.providers.quantities import GIB, parse_quantity

GPU = "nvidia.com/gpu"
USAGE_RESOURCES = {"cpu": "cpu", "memory": "memory_gb", "ephemeral-storage": "ephemeral_storage_gb", GPU: GPU}
_FINISHED_PHASES = {"Succeeded", "Failed"}


@dataclass(frozen=True)
class Credentials:
    """Decrypted credentials: held in memory only while a client is built."""

    kubeconfig: str | None = None
    token: str | None = None
    ca_bundle: str | None = None

    def __repr__(self) -> str:  # never print secrets, even in a traceback
        return "Credentials(<redacted>)"


@dataclass(frozen=True)
class Target:
    """Where and how to reach one server; ``load`` decrypts its credentials on demand.

    ``address`` is the IP the address rules checked for ``api_url`` (None only when its host
    is an IP literal): the client connects there and verifies TLS against the URL's name.
    ``check`` applies the same rules to another endpoint (a kubeconfig's ``proxy-url``) and
    returns its checked address, or raises ``ClusterError``.
    """

    server_id: str
    version: int
    api_url: str
    context: str | None
    load: Callable[[], Credentials]
    address: str | None = None
    check: Callable[[str], str] | None = None


class ClusterError(Exception):
    """A cluster could not be used; ``reason`` is a ``ReasonCode``."""

    def __init__(self, reason: ReasonCode, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.reason: ReasonCode = reason
        self.message = message
        self.status = status


# ---------------------------------------------------------------- clients


class ClientCache:
    """One ``ApiClient`` per server, rebuilt when the credentials version changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # server id -> (credentials version, client, the checked address it connects to)
        self._clients: dict[str, tuple[int, Any, str | None]] = {}
        self.builds = 0

    def client(self, target: Target) -> Any:
        """The server's client for this credentials version and checked address.

        A client is pinned to the address checked when it was built, so a server whose name
        now resolves elsewhere (and passed the rules again) gets a new one in its place.
        """
        with self._lock:
            cached = self._clients.get(target.server_id)
            if cached is not None and cached[0] == target.version and cached[2] == target.address:
                return cached[1]
        built = _build_client(target)
        with self._lock:
            cached = self._clients.get(target.server_id)
            if cached is not None and cached[0] == target.version and cached[2] == target.address:
                _close(built)
                return cached[1]
            if cached is not None and cached[0] <= target.version:
                _close(cached[1])
            if cached is None or cached[0] <= target.version:
                self._clients[target.server_id] = (target.version, built, target.address)
            self.builds += 1
        return built

    def forget(self, server_id: str) -> None:
        with self._lock:
            cached = self._clients.pop(server_id, None)
        if cached is not None:
            _close(cached[1])

    def clear(self) -> None:
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for _, client, _ in clients:
            _close(client)

    def __len__(self) -> int:
        return len(self._clients)


CLIENTS = ClientCache()


def _close(client: Any) -> None:
    try:
        client.close()
    except Exception:  # noqa: BLE001, S110 - closing a pool must never fail a request
        pass


def _ca_file(ca_bundle: str) -> str:
    """The CA bundle as a file (the client wants a path); public certificates only."""
    digest = hashlib.sha256(ca_bundle.encode()).hexdigest()[:24]
    path = os.path.join(tempfile.gettempdir(), f"cloudplane-ca-{digest}.pem")
    if not os.path.exists(path) or Path(path).read_text() != ca_bundle:
        fd, partial = tempfile.mkstemp(prefix="cloudplane-ca-", suffix=".tmp")
        with os.fdopen(fd, "w") as handle:
            handle.write(ca_bundle)
        os.replace(partial, path)
    return path


def _secret_file(data: str, kind: str) -> str:
    """A client certificate or key as a file readable by this process only (the client wants a path)."""
    digest = hashlib.sha256(data.encode()).hexdigest()[:24]
    folder = os.path.join(tempfile.gettempdir(), f"cloudplane-{os.getuid()}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    path = os.path.join(folder, f"{kind}-{digest}.pem")
    if not os.path.exists(path):
        fd, partial = tempfile.mkstemp(prefix=f"{kind}-", suffix=".tmp", dir=folder)  # mode 0600
        with os.fdopen(fd, "w") as handle:
            handle.write(data)
        os.replace(partial, path)
    return path


def _pinned(url: str, address: str | None) -> tuple[str, str | None]:
    """``url`` with its host replaced by the checked ``address``, and the name TLS must verify.

    The name is None when the URL's host is itself the address (nothing to verify against
    but the address, as before).
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if address is None:
        try:
            address = str(ipaddress.ip_address(host))
        except ValueError:
            raise ClusterError("UNREACHABLE", "The cluster's address was not checked.") from None
    shown = f"[{address}]" if ":" in address else address
    netloc = f"{shown}:{parts.port}" if parts.port is not None else shown
    name = None
    try:
        ipaddress.ip_address(host)
    except ValueError:
        name = host
    return urlunsplit((parts.scheme, netloc, parts.path, "", "")).rstrip("/"), name


def _configuration(target: Target, credentials: Credentials) -> Any:
    """The client's ``Configuration``, built field by field from what the address rules checked.

    Never ``load_kube_config_from_dict``: a kubeconfig is read into the strict model of
    ``shared.providers.kubeconfig`` and only its server (at the checked address), CA, TLS
    server name, proxy (checked too) and embedded credentials are used. The environment's
    proxy settings are ignored, so the connection goes where the check looked.
    """
    from kubernetes import client as k8s

    from shared.providers import kubeconfig

    host, name = _pinned(target.api_url, target.address)
    configuration = k8s.Configuration(host=host, proxy="", no_proxy="")
    configuration.verify_ssl = True
    if credentials.kubeconfig is not None:
        try:
            model = kubeconfig.parse(credentials.kubeconfig, target.context)
        except kubeconfig.KubeconfigInvalid as error:  # stored before today's rules: unusable, not a 422
            raise ClusterError("BAD_CREDENTIALS", f"The stored kubeconfig is not supported: {error.message}") from None
        if model.cluster.server.rstrip("/") != target.api_url.rstrip("/"):
            raise ClusterError("BAD_CREDENTIALS", "The kubeconfig points at another server than the one checked.")
        cluster, user = model.cluster, model.user
        if cluster.proxy_url is not None:
            if target.check is None:
                raise ClusterError("ENDPOINT_NOT_ALLOWED", "The kubeconfig's proxy-url was not checked.")
            configuration.proxy = _pinned(cluster.proxy_url, target.check(cluster.proxy_url))[0]
        if cluster.ca_pem is not None:
            configuration.ssl_ca_cert = _ca_file(cluster.ca_pem)
        configuration.verify_ssl = not cluster.insecure_skip_tls_verify
        name = cluster.tls_server_name or name
        if user.token is not None:
            configuration.api_key = {"authorization": user.token}
            configuration.api_key_prefix = {"authorization": "Bearer"}
        if user.client_certificate_pem is not None and user.client_key_pem is not None:
            configuration.cert_file = _secret_file(user.client_certificate_pem, "client-cert")
            configuration.key_file = _secret_file(user.client_key_pem, "client-key")
    else:
        if credentials.token:
            configuration.api_key = {"authorization": credentials.token}
            configuration.api_key_prefix = {"authorization": "Bearer"}
        if credentials.ca_bundle:
            configuration.ssl_ca_cert = _ca_file(credentials.ca_bundle)
    if name is not None and urlsplit(host).scheme == "https":
        configuration.tls_server_name = name  # SNI, and (urllib3 2) the name the certificate must match
    configuration.retries = 0
    configuration.debug = False
    return configuration


def _build_client(target: Target) -> Any:
    from kubernetes import client as k8s

    credentials = target.load()  # ApiErrors (a missing key) are ours to report, not the cluster's
    configuration = _configuration(target, credentials)
    client = k8s.ApiClient(configuration)
    parts = urlsplit(target.api_url)
    named = parts.netloc.rpartition("@")[2]
    if parts.hostname is not None and named != urlsplit(configuration.host).netloc:
        # Connected by address; the Host header still names the server (virtual hosts, proxies).
        client.set_default_header("Host", named)  # type: ignore[no-untyped-call]
    return client


# ---------------------------------------------------------------- calls


def _json(response: Any) -> Any:
    """The body of a raw (not deserialised) response; a failure status raises ``ApiException``."""
    from kubernetes.client.exceptions import ApiException

    status = int(getattr(response, "status", 200) or 200)
    if status >= 400:
        raise ApiException(status=status, reason=getattr(response, "reason", None))
    return json.loads(response.data or b"null")


def _version(client: Any, timeout: float) -> Any:
    from kubernetes import client as k8s

    return _json(k8s.VersionApi(client).get_code(_preload_content=False, _request_timeout=timeout))


def _classify(error: BaseException) -> ClusterError:
    from kubernetes.client.exceptions import ApiException
    from urllib3 import exceptions as u3

    if isinstance(error, ClusterError):
        return error
    if isinstance(error, ApiException):
        status = int(error.status or 0)
        if status == 401:
            return ClusterError("UNAUTHORIZED", "The cluster refused the credentials (401).")
        if status == 403:
            return ClusterError("FORBIDDEN", "The credentials may not read nodes or pods (403).")
        return ClusterError("API_ERROR", f"The cluster answered {status}.", status)
    cause: BaseException | None = error
    for _ in range(5):
        reason = getattr(cause, "reason", None)
        if isinstance(reason, BaseException):
            cause = reason
        else:
            break
    if isinstance(cause, u3.NewConnectionError):  # a subclass of ConnectTimeoutError, but a refusal
        return ClusterError("UNREACHABLE", "The cluster refused the connection or could not be reached.")
    if isinstance(cause, (u3.ConnectTimeoutError, u3.ReadTimeoutError, TimeoutError)):
        return ClusterError("TIMEOUT", "The cluster did not answer in time.")
    if isinstance(cause, u3.SSLError) or "SSL" in type(cause).__name__:
        return ClusterError("TLS_ERROR", "The TLS handshake failed (check the CA bundle).")
    return ClusterError("UNREACHABLE", f"The cluster could not be reached ({type(cause).__name__}).")


def _allocatable(node: dict[str, Any]) -> dict[str, Any]:
    status = node.get("status") or {}
    return dict(status.get("allocatable") or status.get("capacity") or {})


def _items(client: Any, kind: str, timeout: float) -> Iterator[dict[str, Any]]:
    """Every node or pod (all namespaces), page by page, as plain dicts."""
    from kubernetes import client as k8s

    api = k8s.CoreV1Api(client)
    lister = api.list_node if kind == "nodes" else api.list_pod_for_all_namespaces
    token: str | None = None
    while True:
        page = _json(lister(limit=500, _continue=token, _preload_content=False, _request_timeout=timeout))
        yield from page.get("items") or []
        token = (page.get("metadata") or {}).get("continue")
        if not token:
            return


def probe(target: Target, timeout: float) -> ServerTest:
    """A live check of the cluster; a cluster failure is ``ok: false``, never an exception."""
    started = time.perf_counter()
    try:
        client = CLIENTS.client(target)
        started = time.perf_counter()  # latency of the cluster, not of building the client
        version = _version(client, timeout)
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
        nodes = list(_items(client, "nodes", timeout))
    except DomainError:
        raise  # our own configuration (e.g. the credentials key), not the cluster's fault
    except Exception as error:  # noqa: BLE001 - every cluster failure becomes ok=false
        failure = _classify(error)
        return ServerTest(
            ok=False,
            reason=failure.reason,
            message=failure.message,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            checked_at=datetime.now(UTC),
        )
    totals = _sum_nodes(nodes)
    return ServerTest(
        ok=True,
        kubernetes_version=(version or {}).get("gitVersion"),
        node_count=len(nodes),
        capacity=Capacity(
            cpu=float(totals["cpu"]), memory_gb=round(float(totals["memory"] / GIB), 3), gpus=int(totals[GPU])
        ),
        latency_ms=latency_ms,
        checked_at=datetime.now(UTC),
    )


def _sum_nodes(nodes: list[dict[str, Any]]) -> dict[str, Decimal]:
    totals = {resource: Decimal(0) for resource in USAGE_RESOURCES}
    for node in nodes:
        allocatable = _allocatable(node)
        for resource in totals:
            totals[resource] += _quantity(allocatable.get(resource))
    return totals


def _quantity(value: Any) -> Decimal:
    try:
        return parse_quantity(value)
    except ValueError:
        return Decimal(0)


def pod_requests(pod: dict[str, Any]) -> dict[str, Decimal]:
    """A pod's effective requests: the containers' sum, or the largest init container's if more."""
    spec = pod.get("spec") or {}
    totals = {resource: Decimal(0) for resource in USAGE_RESOURCES}
    for container in spec.get("containers") or []:
        requests = ((container or {}).get("resources") or {}).get("requests") or {}
        for resource in totals:
            totals[resource] += _quantity(requests.get(resource))
    for container in spec.get("initContainers") or []:
        requests = ((container or {}).get("resources") or {}).get("requests") or {}
        for resource in totals:
            totals[resource] = max(totals[resource], _quantity(requests.get(resource)))
    return totals


def usage(target: Target, timeout: float) -> ServerUsage:
    """Nodes' allocatable against the requests of every unfinished pod; ``ClusterError`` if unusable."""
    nodes, pods = _measure(target, timeout)
    return _usage_of(target, nodes, pods)


def _measure(target: Target, timeout: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    try:
        client = CLIENTS.client(target)
        nodes = list(_items(client, "nodes", timeout))
        pods = [
            pod
            for pod in _items(client, "pods", timeout)
            if ((pod.get("status") or {}).get("phase")) not in _FINISHED_PHASES
        ]
    except DomainError:
        raise
    except Exception as error:  # noqa: BLE001 - classified below
        raise _classify(error) from None
    return nodes, pods


def _usage_of(target: Target, nodes: list[dict[str, Any]], pods: list[dict[str, Any]]) -> ServerUsage:
    capacity = _sum_nodes(nodes)
    allocated = {resource: Decimal(0) for resource in USAGE_RESOURCES}
    for pod in pods:
        for resource, amount in pod_requests(pod).items():
            allocated[resource] += amount
    resources: dict[str, ResourceUsage] = {}
    for resource, name in USAGE_RESOURCES.items():
        scale = GIB if resource in ("memory", "ephemeral-storage") else Decimal(1)
        cap, used = capacity[resource] / scale, allocated[resource] / scale
        resources[name] = ResourceUsage(
            capacity=round(float(cap), 3),
            allocated=round(float(used), 3),
            free=round(float(max(cap - used, Decimal(0))), 3),
        )
    return ServerUsage(
        server_id=target.server_id,
        node_count=len(nodes),
        pod_count=len(pods),
        resources=resources,
        measured_at=datetime.now(UTC),
    )


# ---------------------------------------------------------------- pods

# Namespaces known to exist, per server and credentials version: a create skips the check.
_NAMESPACES: set[tuple[str, int, str]] = set()
_NAMESPACES_LOCK = threading.Lock()


@dataclass(frozen=True)
class Fit:
    """A cluster's room for a pod: its usage now, exact free amounts and each node's allocatable.

    ``free`` and ``nodes`` are in base units (cores, bytes, devices), keyed by resource name.
    """

    usage: ServerUsage
    free: dict[str, Decimal]
    nodes: list[dict[str, Decimal]]


def _call(action: Callable[[Any], Any], target: Target) -> Any:
    """Run ``action(client)``; every cluster failure becomes a ``ClusterError``."""
    try:
        return action(CLIENTS.client(target))
    except (DomainError, ClusterError):
        raise
    except Exception as error:  # noqa: BLE001 - classified below
        raise _classify(error) from None


def _status_of(error: BaseException) -> int:
    from kubernetes.client.exceptions import ApiException

    return int(error.status or 0) if isinstance(error, ApiException) else 0


def fit(target: Target, timeout: float) -> Fit:
    """``usage`` plus every node's allocatable, from the same two lists."""
    nodes, pods = _measure(target, timeout)
    capacity = _sum_nodes(nodes)
    free = dict(capacity)
    for pod in pods:
        for resource, amount in pod_requests(pod).items():
            free[resource] -= amount
    return Fit(
        usage=_usage_of(target, nodes, pods),
        free={resource: max(amount, Decimal(0)) for resource, amount in free.items()},
        nodes=[
            {resource: _quantity(_allocatable(node).get(resource)) for resource in USAGE_RESOURCES} for node in nodes
        ],
    )


def ensure_namespace(target: Target, namespace: str, timeout: float) -> None:
    """Create ``namespace`` if it is missing (a concurrent create is fine)."""
    key = (target.server_id, target.version, namespace)
    with _NAMESPACES_LOCK:
        if key in _NAMESPACES:
            return
    from kubernetes import client as k8s

    def run(client: Any) -> None:
        api = k8s.CoreV1Api(client)
        try:
            _json(api.read_namespace(namespace, _preload_content=False, _request_timeout=timeout))
            return
        except Exception as error:
            if _status_of(error) != 404:
                raise
        body: Any = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
        try:
            _json(api.create_namespace(body, _preload_content=False, _request_timeout=timeout))
        except Exception as error:
            if _status_of(error) != 409:
                raise

    _call(run, target)
    with _NAMESPACES_LOCK:
        _NAMESPACES.add(key)


def create_pod(target: Target, namespace: str, body: Any, timeout: float) -> dict[str, Any]:
    """Create the pod; a taken name is a ``ClusterError`` with ``status`` 409."""
    from kubernetes import client as k8s

    def run(client: Any) -> dict[str, Any]:
        api = k8s.CoreV1Api(client)
        created = _json(api.create_namespaced_pod(namespace, body, _preload_content=False, _request_timeout=timeout))
        return dict(created or {})

    return dict(_call(run, target))


def read_pod(target: Target, namespace: str, name: str, timeout: float) -> dict[str, Any] | None:
    """The pod, or None if the cluster says it does not exist."""
    from kubernetes import client as k8s

    def run(client: Any) -> dict[str, Any] | None:
        try:
            found = _json(
                k8s.CoreV1Api(client).read_namespaced_pod(
                    name, namespace, _preload_content=False, _request_timeout=timeout
                )
            )
        except Exception as error:
            if _status_of(error) == 404:
                return None
            raise
        return dict(found or {})

    result: dict[str, Any] | None = _call(run, target)
    return result


def delete_pod(target: Target, namespace: str, name: str, timeout: float) -> bool:
    """Delete the pod now (grace period 0); False if it was already gone."""
    from kubernetes import client as k8s

    def run(client: Any) -> bool:
        try:
            _json(
                k8s.CoreV1Api(client).delete_namespaced_pod(
                    name, namespace, grace_period_seconds=0, _preload_content=False, _request_timeout=timeout
                )
            )
        except Exception as error:
            if _status_of(error) == 404:
                return False
            raise
        return True

    return bool(_call(run, target))


def list_pods(target: Target, namespace: str, selector: str, timeout: float) -> list[dict[str, Any]]:
    """The pods of ``namespace`` matching the label ``selector`` (callers filter again)."""
    from kubernetes import client as k8s

    def run(client: Any) -> list[dict[str, Any]]:
        api = k8s.CoreV1Api(client)
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page = _json(
                api.list_namespaced_pod(
                    namespace,
                    label_selector=selector,
                    limit=500,
                    _continue=token,
                    _preload_content=False,
                    _request_timeout=timeout,
                )
            )
            items.extend(page.get("items") or [])
            token = (page.get("metadata") or {}).get("continue")
            if not token:
                return items

    result: list[dict[str, Any]] = _call(run, target)
    return result

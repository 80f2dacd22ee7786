"""OpenStack clouds through openstacksdk: one authenticated connection per cloud and process.

``openstack`` and ``keystoneauth1`` are imported on first use only (cold start does not pay
their ~350 ms). ``CloudConnections`` keeps one ``openstack.connection.Connection`` per cache key
(a registered cloud's id, or who logs in where for credentials given in a request, never a
hash of a secret) and reuses it across invocations, so a warm process logs in to Keystone once,
not once per request:

- an entry holds the ``CloudConfig.fingerprint()`` (keyed, per process) of its credentials: changed
  credentials under the same key build a new connection that replaces it;
- a token that expires within ``margin`` seconds is dropped before the call, so the next request
  logs in again instead of failing half-way;
- a ``401`` from a service makes keystoneauth re-authenticate once and retry the request once
  (``Session.request``: "this is only tried once"); a ``401`` that survives that retry is not
  retried again: the connection is dropped and the call fails ``UNAUTHORIZED``, no loop;
- every request has ``timeout`` seconds (the session's default; the SDK's proxies pass it on);
- at most ``max_entries`` connections are kept (Concertim sends each UI user's credentials, so
  keys come and go): past it the least recently used is dropped and its session closed, and a
  key whose credentials changed has its entry replaced (and closed), never kept beside the new.

The connection is built from a keystoneauth ``Session`` of our own, never by openstacksdk's
config loader, so no ``clouds.yaml`` file or ``OS_*`` variable of the host is read. The address
rules are applied by ``check`` (given by the caller, this layer knows no settings) to the
``auth_url`` before any request, and to every catalog endpoint of the cloud's region and
interface once authenticated, before the connection is used.

Failures come out as ``CloudError`` with a reason (``UNREACHABLE``, ``UNAUTHORIZED``, ``TIMEOUT``,
``BAD_CATALOG``, ...) and a message with no credential in it; the services map it to a status.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from shared.models.clouds import CloudConfig

if TYPE_CHECKING:
    from openstack.connection import Connection

T = TypeVar("T")

CloudReason = Literal[
    "UNREACHABLE",
    "UNAUTHORIZED",
    "FORBIDDEN",
    "TIMEOUT",
    "BAD_CATALOG",
    "BAD_REQUEST",
    "NOT_FOUND",
    "CONFLICT",
    "OVER_QUOTA",
    "API_ERROR",
]

EndpointCheck = Callable[[str, str], object]
"""``check(url, field)``: raises when the address rules refuse ``url`` (``field`` names it)."""

APP_NAME = "cloudplane"


class CloudError(Exception):
    """A cloud could not do what was asked; ``reason`` says why, ``status`` is the HTTP status seen (0: none)."""

    def __init__(self, reason: CloudReason, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.reason: CloudReason = reason
        self.message = message
        self.status = status


@dataclass
class _Entry:
    fingerprint: str
    connection: Connection
    built_at: float


class CloudConnections:
    """One authenticated connection per cache key (for the credentials last seen under it), reused
    until its token nears expiry or the credentials change; at most ``max_entries``, least recently
    used dropped first. Thread-safe; one per process (``deps``)."""

    def __init__(
        self,
        timeout: float,
        check: EndpointCheck | None = None,
        margin: float = 120.0,
        max_entries: int = 256,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries is 1 or more")
        self._timeout = timeout
        self._check = check
        self._margin = margin
        self._max_entries = max_entries
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._building: dict[str, threading.Lock] = {}
        self.builds = 0
        """Connections built (each one a Keystone login), for tests and benches."""

    @property
    def timeout(self) -> float:
        return self._timeout

    def connection(self, key: str, cloud: CloudConfig) -> Connection:
        """The cached, authenticated connection for ``key``, built (and logged in) if missing or stale."""
        fingerprint = cloud.fingerprint()
        entry = self._fresh(key, fingerprint)
        if entry is not None:
            return entry.connection
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:  # one login per key at a time, not one per waiting request
            entry = self._fresh(key, fingerprint)
            if entry is not None:
                return entry.connection
            connection = self._build(cloud)
            with self._lock:
                dropped = [entry for entry in (self._entries.pop(key, None),) if entry is not None]
                self._entries[key] = _Entry(fingerprint, connection, time.monotonic())
                while len(self._entries) > self._max_entries:
                    _, evicted = self._entries.popitem(last=False)
                    dropped.append(evicted)
                if len(self._building) > 2 * self._max_entries:
                    self._prune_locks()
                self.builds += 1
            for entry in dropped:  # outside the lock: closing may wait on the network
                _close(entry.connection)
            return connection

    def call(self, key: str, cloud: CloudConfig, action: Callable[[Connection], T]) -> T:
        """``action(connection)`` with the cached connection; any failure as a ``CloudError``.

        A ``401`` was already met by one re-authentication and one retry inside keystoneauth;
        one that comes out here drops the connection (the next call logs in afresh) and fails.
        """
        try:
            return action(self.connection(key, cloud))
        except CloudError as error:
            if error.reason == "UNAUTHORIZED":
                self.forget(key)
            raise
        except Exception as error:
            failure = classify(error)
            if failure is None:
                raise
            if failure.reason in ("UNAUTHORIZED", "UNREACHABLE"):
                self.forget(key)
            raise failure from None

    def forget(self, key: str) -> None:
        with self._lock:
            entry = self._entries.pop(key, None)
        if entry is not None:
            _close(entry.connection)

    def clear(self) -> None:
        with self._lock:
            entries, self._entries = list(self._entries.values()), OrderedDict()
        for entry in entries:
            _close(entry.connection)

    def __len__(self) -> int:
        return len(self._entries)

    def _prune_locks(self) -> None:
        """Drop the build locks of keys with no entry (evicted, forgotten, never logged in) that no
        request holds, so they do not pile up either. Called with ``_lock`` held."""
        for name in [name for name, lock in self._building.items() if name not in self._entries]:
            if not self._building[name].locked():
                del self._building[name]

    # ------------------------------------------------------------ building

    def _fresh(self, key: str, fingerprint: str) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.fingerprint == fingerprint:
                self._entries.move_to_end(key)  # used now: the last to be dropped
        if entry is None or entry.fingerprint != fingerprint:
            return None
        auth = entry.connection.session.auth
        reference = getattr(auth, "auth_ref", None)
        if reference is None or reference.will_expire_soon(self._margin):
            return None  # rebuilt now, rather than failing on a token that dies mid-request
        return entry

    def _build(self, cloud: CloudConfig) -> Connection:
        if self._check is not None:
            self._check(cloud.auth.auth_url, "cloud.auth.auth_url")
        try:
            connection = _connect(cloud, self._timeout)
            plugin: Any = connection.session.auth
            access = plugin.get_access(connection.session)  # the login, now: a bad credential fails here
        except CloudError:
            raise
        except Exception as error:
            failure = classify(error)
            if failure is None:
                raise
            raise failure from None
        if self._check is not None:
            for url in catalog_urls(access, cloud):
                self._check(url, "cloud catalog endpoint")
        return connection


class _NoDebug(logging.Filter):
    """Drops the SDK's debug records: keystoneauth logs every request body at DEBUG, and a user
    creation's or password change's body holds the password in clear."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO


_QUIET = _NoDebug()
SDK_LOGGERS = ("keystoneauth", "keystoneauth1", "openstack", "stevedore", "os_service_types")


def quiet_sdk_logs() -> None:
    """No request body of the SDK reaches a log, whatever level the app logs at."""
    for name in SDK_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET or logger.level < logging.INFO:
            logger.setLevel(logging.INFO)
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in SDK_LOGGERS:
            child = logging.getLogger(name)
            if _QUIET not in child.filters:
                child.addFilter(_QUIET)


def _connect(cloud: CloudConfig, timeout: float) -> Connection:
    """A connection on a keystoneauth session of our own (no clouds.yaml, no ``OS_*`` variables read)."""
    from keystoneauth1 import session as ks_session
    from keystoneauth1.identity import generic, v3
    from openstack.connection import Connection

    quiet_sdk_logs()
    auth = cloud.auth
    plugin: Any
    if auth.method == "password":  # generic: an auth_url at Keystone's root is discovered to its v3
        plugin = generic.Password(
            auth_url=auth.auth_url,
            username=auth.username,
            user_id=auth.user_id,
            password=auth.password.get_secret_value() if auth.password else "",
            user_domain_id=auth.user_domain_id,
            user_domain_name=auth.user_domain_name,
            project_id=auth.project_id,
            project_name=auth.project_name,
            project_domain_id=auth.project_domain_id,
            project_domain_name=auth.project_domain_name,
        )
    else:
        secret = auth.application_credential_secret
        plugin = v3.ApplicationCredential(
            auth_url=auth.auth_url,
            application_credential_id=auth.application_credential_id,
            application_credential_name=auth.application_credential_name,
            application_credential_secret=secret.get_secret_value() if secret else "",
            username=auth.username,
            user_id=auth.user_id,
            user_domain_id=auth.user_domain_id,
            user_domain_name=auth.user_domain_name,
        )
    verify: bool | str = cloud.verify
    if cloud.cacert is not None:
        verify = _ca_file(cloud.cacert)
    session = ks_session.Session(auth=plugin, verify=verify, timeout=timeout, app_name=APP_NAME)
    return Connection(
        session=session,
        region_name=cloud.region_name,
        interface=cloud.interface,
        api_timeout=timeout,
        app_name=APP_NAME,
    )


_CA_FILES: dict[str, str] = {}
_CA_LOCK = threading.Lock()


def _ca_file(pem: str) -> str:
    """The PEM in a file (requests wants a path), one per distinct bundle and process."""
    import hashlib

    digest = hashlib.sha256(pem.encode()).hexdigest()
    with _CA_LOCK:
        path = _CA_FILES.get(digest)
        if path is None:
            with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False, prefix="cloud-ca-") as handle:
                handle.write(pem)
                path = handle.name
            _CA_FILES[digest] = path
    return path


def catalog_urls(access: Any, cloud: CloudConfig) -> list[str]:
    """Every endpoint URL of the catalog in the cloud's region (all regions if none) and interface."""
    urls: list[str] = []
    for service in access.service_catalog.catalog or []:
        for endpoint in service.get("endpoints", []):
            if endpoint.get("interface") != cloud.interface:
                continue
            region = endpoint.get("region_id") or endpoint.get("region")
            if cloud.region_name is not None and region != cloud.region_name:
                continue
            if endpoint.get("url"):
                urls.append(str(endpoint["url"]))
    return urls


def _close(connection: Any) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 - closing must never fail a request
        pass


_REASON_BY_STATUS: dict[int, CloudReason] = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "OVER_QUOTA",
}


def _short(text: Any, limit: int = 300) -> str:
    value = " ".join(str(text or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def classify(error: BaseException) -> CloudError | None:
    """An SDK or keystoneauth failure as a ``CloudError``; None for anything else (a bug: re-raised)."""
    from keystoneauth1 import exceptions as ksa
    from openstack import exceptions as sdk

    if isinstance(error, CloudError):
        return error
    if isinstance(error, ksa.ConnectTimeout | ksa.RequestTimeout | ksa.GatewayTimeout):
        return CloudError("TIMEOUT", "The cloud did not answer in time.")
    if isinstance(error, ksa.ConnectFailure | ksa.UnknownConnectionError | ksa.ConnectionError):
        return CloudError("UNREACHABLE", "The cloud could not be reached.")
    if isinstance(error, ksa.SSLError):
        return CloudError("UNREACHABLE", "TLS with the cloud failed.")
    if isinstance(error, ksa.EmptyCatalog | ksa.EndpointNotFound | ksa.CatalogException):
        return CloudError("BAD_CATALOG", f"The cloud's catalog lacks a service: {_short(error)}")
    if isinstance(error, ksa.DiscoveryFailure):
        return CloudError("UNREACHABLE", "The cloud's identity service could not be discovered.")
    if isinstance(error, ksa.MissingRequiredOptions | ksa.AuthPluginException):
        return CloudError("UNAUTHORIZED", "The cloud credentials are incomplete.")
    if isinstance(error, ksa.HttpError):
        status = int(getattr(error, "http_status", 0) or 0)
        return _from_status(status, getattr(error, "message", None) or str(error))
    if isinstance(error, sdk.HttpException):
        status = int(getattr(error, "status_code", 0) or 0)
        return _from_status(status, getattr(error, "details", None) or getattr(error, "message", None))
    if isinstance(error, sdk.EndpointNotFound):
        return CloudError("BAD_CATALOG", "The cloud's catalog has no endpoint for a service this needs.")
    if isinstance(error, sdk.SDKException):
        return CloudError("API_ERROR", _short(getattr(error, "message", None) or error))
    if isinstance(error, TimeoutError):
        return CloudError("TIMEOUT", "The cloud did not answer in time.")
    return None


def _from_status(status: int, detail: Any) -> CloudError:
    if status == 401:
        return CloudError("UNAUTHORIZED", "The cloud refused the credentials.", 401)
    reason = _REASON_BY_STATUS.get(status)
    if reason is None:
        reason = "API_ERROR"
    message = _short(detail) or f"The cloud answered {status}."
    return CloudError(reason, message, status)

"""Storage service clients, built once per process and reused across invocations.

Every client carries the timeouts from the settings and a short retry budget, so a slow or
dead storage account costs a request seconds, not minutes. The Queue and Blob SDKs are
imported on first use: cold start and the health endpoint do not pay for them. Every attempt
after a request's first is counted as ``cloudplane.storage.retries`` (a no-op without telemetry).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import ResourceExistsError
from azure.data.tables import TableClient, TableServiceClient

from shared import telemetry
from shared.config import Settings

if TYPE_CHECKING:
    from azure.storage.blob import BlobServiceClient
    from azure.storage.queue import QueueServiceClient

AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE_CONNECTION = (
    f"DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={AZURITE_KEY};"
    f"BlobEndpoint=http://127.0.0.1:10000/{AZURITE_ACCOUNT};"
    f"QueueEndpoint=http://127.0.0.1:10001/{AZURITE_ACCOUNT};"
    f"TableEndpoint=http://127.0.0.1:10002/{AZURITE_ACCOUNT};"
)


_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


def _transport(timeout: float) -> Any:
    """One HTTP session for all of the process's storage clients.

    A session that trusts the environment looks for ``~/.netrc`` and reads every proxy
    variable on each request: about a tenth of a busy worker's CPU in
    bench/jobs_throughput.py. Storage requests are signed by the SDK (netrc means nothing to
    them), so unless a proxy is set the session stops trusting the environment and takes the
    CA bundle variables once, as requests would have on each request.
    """
    import requests
    from azure.core.pipeline.transport import RequestsTransport

    session = requests.Session()
    options: dict[str, Any] = {"connection_timeout": timeout, "read_timeout": timeout}
    if not any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXY_VARIABLES):
        session.trust_env = False
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            options["connection_verify"] = bundle
    return RequestsTransport(session=session, session_owner=False, **options)


_ATTEMPT = "cloudplane.attempt"


def count_retries(request: Any) -> None:
    """The SDKs' ``raw_request_hook``: it runs on every attempt of a request (after the retry
    policy), and the request's context lives across its attempts, so attempts past the first
    are the retries."""
    attempt = request.context.get(_ATTEMPT, 0)
    request.context[_ATTEMPT] = attempt + 1
    if attempt:
        telemetry.count("cloudplane.storage.retries", attributes={"method": str(request.http_request.method)})


def expand_connection_string(value: str) -> str:
    """``UseDevelopmentStorage=true`` spelled out, since not every SDK understands it."""
    return AZURITE_CONNECTION if value.strip().rstrip(";").lower() == "usedevelopmentstorage=true" else value


class StorageClients:
    """Lazily built Table, Queue and Blob service clients for one storage account."""

    def __init__(
        self,
        settings: Settings,
        *,
        timeout: float | None = None,
        retries: int = 2,
        connection: str | None = None,
        account_name: str | None = None,
    ) -> None:
        """``connection`` or ``account_name`` name another account than the settings' own (a
        jobs account of the sharded layout, ``shared/jobs/shards.py``); the name wins, as in the settings."""
        self._settings = settings
        self._connection = connection
        self._account_name = account_name if (connection or account_name) else settings.storage_account_name
        timeout = timeout or settings.storage_timeout_seconds
        self._options: dict[str, Any] = {
            "connection_timeout": timeout,
            "read_timeout": timeout,
            "retry_total": retries,
            "retry_backoff_factor": 0.2,
            "raw_request_hook": count_retries,
            "transport": _transport(timeout),
        }
        self._lock = threading.Lock()
        self._tables: TableServiceClient | None = None
        self._queues: QueueServiceClient | None = None
        self._blobs: BlobServiceClient | None = None
        self._ready_tables: dict[str, TableClient] = {}
        self._credential: Any = None

    def _account_url(self, service: str) -> str | None:
        name = self._account_name
        return f"https://{name}.{service}.core.windows.net" if name else None

    def _azure_credential(self) -> Any:
        if self._credential is None:
            from azure.identity import DefaultAzureCredential

            self._credential = DefaultAzureCredential()
        return self._credential

    @property
    def connection_string(self) -> str:
        return expand_connection_string(self._connection or self._settings.storage_connection)

    @property
    def tables(self) -> TableServiceClient:
        if self._tables is None:
            url = self._account_url("table")
            self._tables = (
                TableServiceClient(url, credential=self._azure_credential(), **self._options)
                if url
                else TableServiceClient.from_connection_string(self.connection_string, **self._options)
            )
        return self._tables

    @property
    def queues(self) -> QueueServiceClient:
        if self._queues is None:
            from azure.storage.queue import QueueServiceClient

            url = self._account_url("queue")
            self._queues = (
                QueueServiceClient(url, credential=self._azure_credential(), **self._options)
                if url
                else QueueServiceClient.from_connection_string(self.connection_string, **self._options)
            )
        return self._queues

    @property
    def blobs(self) -> BlobServiceClient:
        if self._blobs is None:
            from azure.storage.blob import BlobServiceClient

            url = self._account_url("blob")
            self._blobs = (
                BlobServiceClient(url, credential=self._azure_credential(), **self._options)
                if url
                else BlobServiceClient.from_connection_string(self.connection_string, **self._options)
            )
        return self._blobs

    def table(self, name: str) -> TableClient:
        """A client for table ``name``, created on this process's first use of it."""
        client = self._ready_tables.get(name)
        if client is None:
            with self._lock:
                client = self._ready_tables.get(name)
                if client is None:
                    client = self.tables.get_table_client(name)
                    try:
                        client.create_table()
                    except ResourceExistsError:
                        pass
                    self._ready_tables[name] = client
        return client

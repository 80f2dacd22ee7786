"""A TCP server that accepts connections and never answers: the slowest storage there is."""

from __future__ import annotations

import socket
import threading
from types import TracebackType


class Blackhole:
    def __init__(self) -> None:
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port: int = self._server.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        self._server.settimeout(0.2)
        while not self._stopped.is_set():
            try:
                connection, _ = self._server.accept()
            except OSError:
                continue
            self._held.append(connection)

    def connection_string(self) -> str:
        endpoints = "".join(
            f"{service}Endpoint=http://127.0.0.1:{self.port}/devstoreaccount1;"
            for service in ("Blob", "Queue", "Table")
        )
        return (
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + endpoints
        )

    def __enter__(self) -> Blackhole:
        self._thread.start()
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stopped.set()
        self._thread.join()
        for connection in self._held:
            connection.close()
        self._server.close()

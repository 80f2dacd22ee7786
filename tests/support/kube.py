"""Kubernetes API emulators (kmock) on free ports, each in its own thread and event loop.

kmock serves a stateful in-memory Kubernetes REST API over real HTTP; it assigns no uid,
timestamps or phases, so seeds carry what a test needs. ``/version/`` (with the slash the
official client uses) gets its own route, ``unauthorized=True`` answers 401 to everything,
``stop()`` makes the cluster unreachable, and ``delay`` makes every answer that much late.
``POST /api/v1/namespaces`` (which kmock cannot parse) is answered 201 here; ``objects``,
``pod_object`` and ``patch_pod`` read and change the stored state from the test's thread.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Callable
from typing import Any

import aiohttp.web
import kmock

VERSION = {"major": "1", "minor": "30", "gitVersion": "v1.30.2+kmock", "platform": "linux/amd64"}


def gpu_node(name: str = "gpu-node-1", *, cpu: str = "16", memory: str = "64Gi", gpus: str = "4") -> dict[str, Any]:
    resources = {"cpu": cpu, "memory": memory, "nvidia.com/gpu": gpus, "ephemeral-storage": "100Gi"}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name},
        "status": {"capacity": dict(resources), "allocatable": dict(resources)},
    }


def pod(
    name: str,
    namespace: str = "default",
    *,
    phase: str = "Running",
    cpu: str | None = None,
    memory: str | None = None,
    gpus: str | None = None,
    storage: str | None = None,
) -> dict[str, Any]:
    given = {"cpu": cpu, "memory": memory, "nvidia.com/gpu": gpus, "ephemeral-storage": storage}
    requests = {key: value for key, value in given.items() if value is not None}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "uid": f"uid-{name}"},
        "spec": {"containers": [{"name": "c", "image": "busybox", "resources": {"requests": requests}}]},
        "status": {"phase": phase},
    }


def _emulator_class(delay: float) -> type[kmock.KubernetesEmulator]:
    class Emulator(kmock.KubernetesEmulator):
        async def __call__(self, raw_request: Any) -> Any:
            if delay:
                await asyncio.sleep(delay)
            if raw_request.method == "POST" and raw_request.path.rstrip("/") == "/api/v1/namespaces":
                body = await raw_request.json()
                return aiohttp.web.Response(status=201, text=json.dumps(body), content_type="application/json")
            return await super().__call__(raw_request)

    return Emulator


class KubeEmulator:
    """One emulated cluster at ``url``; a context manager, or ``start()``/``stop()``."""

    def __init__(
        self,
        *,
        nodes: list[dict[str, Any]] | None = None,
        pods: list[dict[str, Any]] | None = None,
        unauthorized: bool = False,
        delay: float = 0.0,
    ) -> None:
        self._delay = delay
        self._k8s: Any = None
        self.port = 0  # the server binds a free port itself; ``port`` and ``url`` are set by start()
        self.url = ""
        self._nodes = nodes if nodes is not None else [gpu_node()]
        self._pods = pods or []
        self._unauthorized = unauthorized
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kmock", daemon=True)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as error:  # reported to start()
            self._error = error
            self._ready.set()
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        async with _emulator_class(self._delay)() as k8s, kmock.Server(k8s, host="127.0.0.1") as server:
            self._k8s = k8s
            self.port = int(server.port)
            self.url = f"http://127.0.0.1:{self.port}"
            if self._unauthorized:
                k8s << 401 << {"kind": "Status", "status": "Failure", "reason": "Unauthorized", "code": 401}
            k8s["get", re.compile(r"^/version/?$")] << VERSION
            k8s.resources["v1/pods"] = kmock.ResourceInfo(namespaced=True, kind="Pod")
            k8s.resources["v1/nodes"] = kmock.ResourceInfo(namespaced=False, kind="Node")
            k8s.resources["v1/namespaces"] = kmock.ResourceInfo(namespaced=False, kind="Namespace")
            for node in self._nodes:
                k8s.objects["v1/nodes", None, node["metadata"]["name"]] = node
            for item in self._pods:
                meta = item["metadata"]
                k8s.objects["v1/pods", meta["namespace"], meta["name"]] = item
            self._ready.set()
            await self._stop.wait()

    def _on_loop(self, action: Callable[[Any], Any]) -> Any:
        """Run ``action(emulator)`` on the emulator's own loop and return its result."""
        assert self._loop is not None

        async def run() -> Any:
            return action(self._k8s)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(10)

    def pod_object(self, namespace: str, name: str) -> dict[str, Any] | None:
        """The pod as stored, or None."""

        def read(k8s: Any) -> dict[str, Any] | None:
            try:
                stored = json.loads(json.dumps(k8s.objects["v1/pods", namespace, name], default=dict))
            except KeyError:
                return None
            return stored or None  # a deleted object stays as an empty version

        result: dict[str, Any] | None = self._on_loop(read)
        return result

    def pods(self) -> list[dict[str, Any]]:
        def read(k8s: Any) -> list[dict[str, Any]]:
            found = [json.loads(json.dumps(item, default=dict)) for key, item in k8s.objects.items() if item]
            return [item for item in found if item.get("kind") == "Pod"]

        result: list[dict[str, Any]] = self._on_loop(read)
        return result

    def remove_pod(self, namespace: str, name: str) -> None:
        """Delete a pod behind Cloudplane's back (evicted, or deleted with kubectl)."""

        def write(k8s: Any) -> None:
            del k8s.objects["v1/pods", namespace, name]

        self._on_loop(write)

    def patch_pod(self, namespace: str, name: str, **fields: Any) -> None:
        """Set top-level fields (``status=...``) of a stored pod, as a kubelet would."""

        def write(k8s: Any) -> None:
            item = json.loads(json.dumps(k8s.objects["v1/pods", namespace, name], default=dict))
            item.update(fields)
            k8s.objects["v1/pods", namespace, name] = item

        self._on_loop(write)

    def start(self) -> KubeEmulator:
        self._thread.start()
        if not self._ready.wait(10) or self._error is not None:
            raise RuntimeError(f"kmock did not start: {self._error!r}")
        return self

    def stop(self) -> None:
        """Stop serving. Connections the client kept alive may hang (a timeout), new ones are refused."""
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(10)

    def __enter__(self) -> KubeEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""Whether a pod fits a cluster, and which server a pod with ``server_id: "auto"`` goes to.

Pure decisions over measured room (``kube.Fit``): no cluster is called here. A pod no node of
a server could ever hold is 422 ``POD_TOO_LARGE``; one that would fit but not now is 409
``INSUFFICIENT_RESOURCES`` with what is free.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from shared.errors import Conflict, ServiceUnavailable, ValidationFailed
from shared.models.pods import ServerFailure
from shared.providers import kubernetes as kube
from shared.providers.quantities import GIB

Amounts = Mapping[str, Decimal]

_UNITS: dict[str, tuple[str, Decimal]] = {
    "cpu": ("cpu", Decimal(1)),
    "memory": ("ram_gb", GIB),
    kube.GPU: ("gpus", Decimal(1)),
    "ephemeral-storage": ("storage_gb", GIB),
}


def readable(amounts: Amounts) -> dict[str, float]:
    """Base units as the API's fields (``cpu``, ``ram_gb``, ``gpus``, ``storage_gb``)."""
    return {name: round(float(amounts[resource] / scale), 3) for resource, (name, scale) in _UNITS.items()}


def fits_a_node(wanted: Amounts, fit: kube.Fit) -> bool:
    """Whether some node could ever hold the pod (its allocatable, not what is free now)."""
    return any(all(node[r] >= amount for r, amount in wanted.items() if amount > 0) for node in fit.nodes)


def fits_free(wanted: Amounts, free: Amounts) -> bool:
    return all(free[r] >= amount for r, amount in wanted.items() if amount > 0)


def too_large(wanted: Amounts, server_ids: list[str]) -> ValidationFailed:
    return ValidationFailed(
        "No node of the server can ever fit this pod.",
        code="POD_TOO_LARGE",
        details={"requested": readable(wanted), "server_ids": server_ids},
    )


def insufficient(wanted: Amounts, free: dict[str, dict[str, float]]) -> Conflict:
    return Conflict(
        "Not enough free resources for this pod now.",
        code="INSUFFICIENT_RESOURCES",
        details={"requested": readable(wanted), "free": free},
    )


def check_fit(server_id: str, wanted: Amounts, fit: kube.Fit, credit: Amounts | None = None) -> None:
    """Raise unless the pod fits the server now; ``credit`` is room a pod being replaced gives back."""
    if not fits_a_node(wanted, fit):
        raise too_large(wanted, [server_id])
    free = {r: amount + (credit or {}).get(r, Decimal(0)) for r, amount in fit.free.items()}
    if not fits_free(wanted, free):
        raise insufficient(wanted, {server_id: readable(free)})


def choose(
    wanted: Amounts, fits: Mapping[str, kube.Fit], failures: Sequence[ServerFailure], names: Mapping[str, str]
) -> str:
    """The id of the server with room for ``wanted`` now: most free GPUs first, then CPU, memory, name.

    ``fits`` holds the servers that answered, ``failures`` those that did not, ``names`` every
    server's name (the last tie-break, so the choice is stable).
    """
    candidates = [(sid, fit) for sid, fit in fits.items() if fits_a_node(wanted, fit)]
    if not candidates:
        if fits:
            raise too_large(wanted, sorted(fits))
        raise ServiceUnavailable(
            "No server could be reached to place the pod.",
            code="SERVERS_UNAVAILABLE",
            details={"errors": [failure.model_dump() for failure in failures]},
        )
    room = [(sid, fit) for sid, fit in candidates if fits_free(wanted, fit.free)]
    if not room:
        raise insufficient(wanted, {sid: readable(fit.free) for sid, fit in candidates})
    room.sort(key=lambda c: (-c[1].free[kube.GPU], -c[1].free["cpu"], -c[1].free["memory"], names[c[0]]))
    return room[0][0]

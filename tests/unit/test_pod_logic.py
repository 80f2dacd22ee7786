"""The pure parts of pods: status mapping, manifests, template merge, placement and the offset cursor.

None of these touches a cluster or storage; the expected values are literals (quantities as
Kubernetes prints them, the server a placement must choose), never recomputed the code's way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from shared.errors import BadRequest, Conflict, ServiceUnavailable, ValidationFailed
from shared.models.pods import Pod, PodCreate, PodUpdate, ServerFailure
from shared.models.servers import ServerUsage
from shared.models.templates import PodResources, Template
from shared.providers import kubernetes as kube
from shared.services import pod_placement
from shared.services.pod_manifests import PodSpec, manifest, owned, selector, to_pod, wanted_amounts
from shared.services.pod_specs import spec_for_update, spec_from_template, spec_without_template
from shared.services.pod_status import holds_resources, status_of
from shared.storage.pagination import decode_offset, encode_offset

CREATED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
GIB = Decimal(1024**3)


# ---------------------------------------------------------------- status mapping


@pytest.mark.parametrize(
    ("pod", "status"),
    [
        ({}, "pending"),
        ({"status": {"phase": "Pending"}}, "pending"),
        ({"status": {"phase": "Running"}}, "running"),
        ({"status": {"phase": "Succeeded"}}, "succeeded"),
        ({"status": {"phase": "Failed"}}, "failed"),
        ({"status": {"phase": "Evicted"}}, "unknown"),
        ({"status": {"conditions": []}}, "unknown"),
        (
            {
                "status": {
                    "phase": "Running",
                    "containerStatuses": [{"state": {"waiting": {"reason": "ImagePullBackOff"}}}],
                }
            },
            "failed",
        ),
        (
            {
                "status": {
                    "phase": "Pending",
                    "containerStatuses": [{"state": {"waiting": {"reason": "CrashLoopBackOff"}}}],
                }
            },
            "failed",
        ),
        (
            {
                "status": {
                    "phase": "Pending",
                    "containerStatuses": [{"state": {"waiting": {"reason": "ContainerCreating"}}}],
                }
            },
            "pending",
        ),
    ],
)
def test_status_of(pod: dict[str, Any], status: str) -> None:
    assert status_of(pod) == status


def test_only_a_finished_pod_gives_its_room_back() -> None:
    assert holds_resources({"status": {"phase": "Running"}})
    assert not holds_resources({"status": {"phase": "Succeeded"}})
    assert not holds_resources({"status": {"phase": "Failed"}})


# ---------------------------------------------------------------- manifests


def _spec(**fields: Any) -> PodSpec:
    values: dict[str, Any] = {"image": "busybox", "resources": PodResources(gpus=1, cpu=0.5, ram_gb=1.5, storage_gb=0)}
    return PodSpec(**{**values, **fields})


def test_the_manifest_requests_equal_limits_in_kubernetes_units() -> None:
    body = manifest("tenant1", "pod_1", "web", _spec(env={"B": "2", "A": "1"}, command=["sleep", "1"]), CREATED)
    container = body["spec"]["containers"][0]
    assert container["resources"]["requests"] == {"cpu": "500m", "memory": "1536Mi", "nvidia.com/gpu": "1"}
    assert container["resources"]["limits"] == container["resources"]["requests"]
    assert container["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    assert container["command"] == ["sleep", "1"]
    assert body["spec"]["restartPolicy"] == "Never"
    assert body["metadata"]["annotations"] == {"cloudplane.io/created-at": "2024-05-01T12:00:00+00:00"}


def test_our_labels_win_over_the_callers() -> None:
    spec = _spec(labels={"cloudplane.io/tenant": "other", "team": "a"}, template_id="builtin:gpu-1")
    metadata = manifest("tenant1", "pod_1", "web", spec, CREATED)["metadata"]
    assert metadata["labels"] == {
        "team": "a",
        "app.kubernetes.io/managed-by": "cloudplane",
        "cloudplane.io/tenant": "tenant1",
        "cloudplane.io/pod-id": "pod_1",
    }
    assert metadata["annotations"]["cloudplane.io/template-id"] == "builtin:gpu-1"


def test_a_created_object_reads_back_as_the_pod_it_was_made_from() -> None:
    resources = PodResources(gpus=1, cpu=0.5, ram_gb=1.5, storage_gb=2)
    item = manifest("tenant1", "pod_1", "web", _spec(labels={"team": "a"}, resources=resources), CREATED)
    assert item["spec"]["containers"][0]["resources"]["requests"]["ephemeral-storage"] == "2Gi"
    item["metadata"]["namespace"] = "cloudplane-acme"
    item["status"] = {"phase": "Running"}
    pod = to_pod("server1", item)
    assert pod == Pod(
        id="pod_1",
        server_id="server1",
        name="web",
        namespace="cloudplane-acme",
        image="busybox",
        command=[],
        env={},
        resources=PodResources(gpus=1, cpu=0.5, ram_gb=1.5, storage_gb=2.0),
        labels={"team": "a"},
        template_id=None,
        status="running",
        phase="Running",
        node_name=None,
        created_at=CREATED,
    )


def test_owned_needs_our_labels_and_the_tenant() -> None:
    item = manifest("tenant1", "pod_1", "web", _spec(), CREATED)
    assert owned("tenant1", item) and owned("tenant1", item, "pod_1")
    assert not owned("tenant2", item)
    assert not owned("tenant1", item, "pod_2")
    item["metadata"]["labels"]["app.kubernetes.io/managed-by"] = "helm"
    assert not owned("tenant1", item)


def test_the_selector_names_the_tenant_and_an_extra_label() -> None:
    assert selector("t1") == "app.kubernetes.io/managed-by=cloudplane,cloudplane.io/tenant=t1"
    assert selector("t1", "team=a") == "app.kubernetes.io/managed-by=cloudplane,cloudplane.io/tenant=t1,team=a"


def test_wanted_amounts_are_base_units() -> None:
    assert wanted_amounts(PodResources(gpus=2, cpu=0.25, ram_gb=2, storage_gb=1)) == {
        "cpu": Decimal("0.25"),
        "memory": 2 * GIB,
        "nvidia.com/gpu": Decimal(2),
        "ephemeral-storage": GIB,
    }


# ---------------------------------------------------------------- template merge

TEMPLATE = Template(
    id="builtin:gpu-1",
    builtin=True,
    name="gpu-1",
    image="nvidia/cuda:12",
    command=["sleep", "infinity"],
    env={"A": "1", "B": "2"},
    resources=PodResources(gpus=1, cpu=8, ram_gb=32, storage_gb=50),
    labels={"cloudplane.io/template": "gpu-1", "cloudplane.io/tenant": "spoofed"},
)


def test_a_request_overrides_only_what_it_gives() -> None:
    request = PodCreate.model_validate(
        {"server_id": "auto", "name": "p", "template_id": "builtin:gpu-1", "env": {"B": "3"}, "resources": {"gpus": 2}}
    )
    spec = spec_from_template(TEMPLATE, request)
    assert spec.image == "nvidia/cuda:12" and spec.command == ["sleep", "infinity"]
    assert spec.env == {"A": "1", "B": "3"}
    assert spec.resources == PodResources(gpus=2, cpu=8, ram_gb=32, storage_gb=50)
    assert spec.labels == {"cloudplane.io/template": "gpu-1"}  # a template never sets our own labels
    assert spec.template_id == "builtin:gpu-1"


def test_a_request_command_replaces_the_templates() -> None:
    request = PodCreate.model_validate({"server_id": "auto", "name": "p", "image": "alpine", "command": ["true"]})
    spec = spec_from_template(TEMPLATE, request)
    assert (spec.image, spec.command) == ("alpine", ["true"])


def test_without_a_template_the_image_is_required() -> None:
    with pytest.raises(ValidationFailed):
        spec_without_template(PodCreate.model_validate({"server_id": "auto", "name": "p"}))
    spec = spec_without_template(PodCreate.model_validate({"server_id": "auto", "name": "p", "image": "alpine"}))
    assert spec == PodSpec(image="alpine", resources=PodResources(gpus=0, cpu=1, ram_gb=1, storage_gb=0))


def test_an_update_keeps_what_it_leaves_out() -> None:
    current = to_pod("s1", manifest("t1", "pod_1", "web", _spec(env={"A": "1"}, template_id="tpl"), CREATED))
    spec = spec_for_update(current, PodUpdate.model_validate({"resources": {"cpu": 2}}))
    assert spec.image == "busybox" and spec.env == {"A": "1"} and spec.template_id == "tpl"
    assert spec.resources == PodResources(gpus=1, cpu=2, ram_gb=1.5, storage_gb=0)


# ---------------------------------------------------------------- placement


def _fit(free_gpus: int, free_cpu: int, node_gpus: int = 8, node_cpu: int = 64) -> kube.Fit:
    usage = ServerUsage(server_id="x", node_count=1, pod_count=0, resources={}, measured_at=CREATED)
    free = {
        "cpu": Decimal(free_cpu),
        "memory": 64 * GIB,
        "nvidia.com/gpu": Decimal(free_gpus),
        "ephemeral-storage": 100 * GIB,
    }
    node = {
        "cpu": Decimal(node_cpu),
        "memory": 128 * GIB,
        "nvidia.com/gpu": Decimal(node_gpus),
        "ephemeral-storage": 500 * GIB,
    }
    return kube.Fit(usage=usage, free=free, nodes=[node])


WANT_ONE_GPU = {"cpu": Decimal(4), "memory": 8 * GIB, "nvidia.com/gpu": Decimal(1), "ephemeral-storage": Decimal(0)}
NAMES = {"a": "alpha", "b": "beta", "c": "gamma"}


def test_placement_prefers_the_most_free_gpus_then_cpu_then_name() -> None:
    assert pod_placement.choose(WANT_ONE_GPU, {"a": _fit(1, 60), "b": _fit(3, 8), "c": _fit(2, 60)}, [], NAMES) == "b"
    assert pod_placement.choose(WANT_ONE_GPU, {"a": _fit(2, 10), "c": _fit(2, 20)}, [], NAMES) == "c"
    assert pod_placement.choose(WANT_ONE_GPU, {"c": _fit(2, 20), "a": _fit(2, 20)}, [], NAMES) == "a"


def test_placement_skips_a_server_with_no_room_now() -> None:
    assert pod_placement.choose(WANT_ONE_GPU, {"a": _fit(0, 60), "b": _fit(1, 4)}, [], NAMES) == "b"


def test_a_pod_no_node_can_hold_is_422_naming_every_server() -> None:
    with pytest.raises(ValidationFailed) as raised:
        pod_placement.choose(WANT_ONE_GPU, {"a": _fit(0, 60, node_gpus=0), "b": _fit(0, 60, node_gpus=0)}, [], NAMES)
    assert raised.value.code == "POD_TOO_LARGE"
    assert raised.value.details["server_ids"] == ["a", "b"]
    assert raised.value.details["requested"] == {"cpu": 4.0, "ram_gb": 8.0, "gpus": 1.0, "storage_gb": 0.0}


def test_no_room_anywhere_now_is_409_with_what_is_free() -> None:
    with pytest.raises(Conflict) as raised:
        pod_placement.choose(WANT_ONE_GPU, {"a": _fit(0, 60)}, [], NAMES)
    assert raised.value.code == "INSUFFICIENT_RESOURCES"
    assert raised.value.details["free"] == {"a": {"cpu": 60.0, "ram_gb": 64.0, "gpus": 0.0, "storage_gb": 100.0}}


def test_no_server_answering_is_503_with_the_failures() -> None:
    with pytest.raises(ServiceUnavailable) as raised:
        pod_placement.choose(WANT_ONE_GPU, {}, [ServerFailure(server_id="a", reason="TIMEOUT")], NAMES)
    assert raised.value.code == "SERVERS_UNAVAILABLE"
    assert raised.value.details == {"errors": [{"server_id": "a", "reason": "TIMEOUT"}]}


def test_a_replaced_pod_credits_its_own_room_back() -> None:
    with pytest.raises(Conflict):
        pod_placement.check_fit("a", WANT_ONE_GPU, _fit(0, 60))
    pod_placement.check_fit("a", WANT_ONE_GPU, _fit(0, 60), credit={"nvidia.com/gpu": Decimal(1)})


# ---------------------------------------------------------------- the offset cursor


def test_the_offset_cursor_keeps_its_wire_format() -> None:
    assert encode_offset(50) == "bzo1MA=="
    assert decode_offset("bzo1MA==") == 50
    assert decode_offset(None) == 0 and decode_offset("") == 0


@pytest.mark.parametrize("cursor", ["bzotMQ==", "eDo1", "not base64!", "bzp4"])
def test_a_forged_offset_cursor_is_400(cursor: str) -> None:
    with pytest.raises(BadRequest) as raised:
        decode_offset(cursor)
    assert raised.value.code == "INVALID_CURSOR"

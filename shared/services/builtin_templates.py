"""The built-in pod templates: read-only, ids ``builtin:...``, the same for every tenant.

Plain data with no storage behind it, so the seed's request translation (``compat_shapes``)
and the templates service share it without loading either's collaborators.
"""

from __future__ import annotations

from shared.models.templates import PodResources, Template

BUILTIN_PREFIX = "builtin:"

BUILTINS: dict[str, Template] = {
    template.id: template
    for template in (
        Template(
            id="builtin:gpu-1",
            builtin=True,
            name="gpu-1",
            description="1 NVIDIA GPU, 8 CPU, 32 GiB",
            image="nvidia/cuda:12.4.0-base-ubuntu22.04",
            command=["sleep", "infinity"],
            resources=PodResources(gpus=1, cpu=8, ram_gb=32, storage_gb=50),
            labels={"cloudplane.io/template": "gpu-1"},
        ),
        Template(
            id="builtin:cpu-small",
            builtin=True,
            name="cpu-small",
            description="CPU only, 2 CPU, 4 GiB",
            image="ubuntu:22.04",
            command=["sleep", "infinity"],
            resources=PodResources(gpus=0, cpu=2, ram_gb=4, storage_gb=10),
            labels={"cloudplane.io/template": "cpu-small"},
        ),
    )
}
BUILTIN_NAMES = {template.name.lower() for template in BUILTINS.values()}


def is_builtin(template_id: str) -> bool:
    return template_id.lower().startswith(BUILTIN_PREFIX)

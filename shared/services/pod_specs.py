"""What a pod will run: a template merged with a request, or a running pod merged with a change.

A request's non-null fields override the template's (or the pod's); ``env`` and ``labels`` of a
create add to the template's, and a partial ``resources`` changes only the fields it sets.
"""

from __future__ import annotations

from shared.errors import ValidationFailed
from shared.models.pods import Pod, PodCreate, PodUpdate
from shared.models.templates import PodResources, Template
from shared.services.pod_manifests import OURS, PodSpec


def merged_resources(base: PodResources, given: PodResources | None) -> PodResources:
    """``base`` with the fields ``given`` sets (a partial ``resources`` changes only those)."""
    if given is None:
        return base
    return PodResources.model_validate({**base.model_dump(), **given.model_dump(include=given.model_fields_set)})


def spec_without_template(request: PodCreate) -> PodSpec:
    if request.image is None:
        raise ValidationFailed("image is required without template_id.", code="VALIDATION_FAILED")
    return PodSpec(
        image=request.image,
        command=request.command or [],
        env=request.env or {},
        resources=request.resources or PodResources(),
        labels=request.labels or {},
    )


def spec_from_template(template: Template, request: PodCreate) -> PodSpec:
    """The template, with the request's fields over it (the template's own labels never take ours)."""
    labels = {key: value for key, value in template.labels.items() if key not in OURS}
    return PodSpec(
        image=request.image if request.image is not None else template.image,
        command=request.command if request.command is not None else list(template.command),
        env={**template.env, **(request.env or {})},
        resources=merged_resources(template.resources, request.resources),
        labels={**labels, **(request.labels or {})},
        template_id=template.id,
    )


def spec_for_update(current: Pod, request: PodUpdate) -> PodSpec:
    """The running pod's spec with the PUT's given fields over it; the template it came from stays."""
    return PodSpec(
        image=request.image if request.image is not None else current.image,
        command=request.command if request.command is not None else current.command,
        env=request.env if request.env is not None else current.env,
        resources=merged_resources(current.resources, request.resources),
        labels=request.labels if request.labels is not None else current.labels,
        template_id=current.template_id,
    )

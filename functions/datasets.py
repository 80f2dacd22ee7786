"""Evaluation datasets (tenant keys): upload a CSV or JSON Lines file, list, get, delete."""

from __future__ import annotations

import azure.functions as func

from functions._http import endpoint
from shared import deps
from shared.api.pipeline import RequestContext
from shared.models.common import Page, PageQuery
from shared.models.datasets import Dataset, DatasetUploadQuery

bp = func.Blueprint()


@endpoint(
    bp,
    "POST",
    "v1/datasets",
    summary="Upload a dataset (the request body is the CSV or JSON Lines file)",
    tag="datasets",
    body=None,
    request_media_types=("text/csv", "application/x-ndjson", "application/jsonl", "application/octet-stream"),
    query=DatasetUploadQuery,
    response=Dataset,
    status=201,
    errors=(413, 415, 422),
    body_limit="max_dataset_bytes",
)
def upload_dataset(ctx: RequestContext) -> Dataset:
    """Send the file as the body with Content-Type text/csv or application/x-ndjson (or a generic type
    and ``?filename=`` ending in .csv, .jsonl or .ndjson). Rows need ``response`` and ``expected``
    columns. The request body limit (CLOUDPLANE_MAX_BODY_BYTES) applies before the dataset limit."""
    return deps.datasets_service().upload(
        ctx.caller.tenant_id, ctx.request.body, ctx.request.header("content-type"), ctx.query
    )


@endpoint(
    bp,
    "GET",
    "v1/datasets",
    summary="List datasets, newest first",
    tag="datasets",
    query=PageQuery,
    response=Page[Dataset],
)
def list_datasets(ctx: RequestContext) -> Page[Dataset]:
    return deps.datasets_service().page(ctx.caller.tenant_id, ctx.query)


@endpoint(
    bp, "GET", "v1/datasets/{dataset_id}", summary="Get a dataset", tag="datasets", response=Dataset, errors=(404,)
)
def get_dataset(ctx: RequestContext) -> Dataset:
    return deps.datasets_service().get(ctx.caller.tenant_id, ctx.path["dataset_id"])


@endpoint(
    bp, "DELETE", "v1/datasets/{dataset_id}", summary="Delete a dataset", tag="datasets", status=204, errors=(404,)
)
def delete_dataset(ctx: RequestContext) -> None:
    """Removes the file and its metadata. Jobs still running on it fail their remaining batches."""
    deps.datasets_service().delete(ctx.caller.tenant_id, ctx.path["dataset_id"])

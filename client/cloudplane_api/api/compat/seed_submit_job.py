from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.evaluation_error import EvaluationError
from ...models.evaluation_job import EvaluationJob
from ...models.job_create import JobCreate
from ...types import Response


def _get_kwargs(
    *,
    body: JobCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/jobs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EvaluationError | EvaluationJob | None:
    if response.status_code == 200:
        response_200 = EvaluationJob.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = EvaluationJob.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = EvaluationError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = EvaluationError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = EvaluationError.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = EvaluationError.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = EvaluationError.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = EvaluationError.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = EvaluationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = EvaluationError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = EvaluationError.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = EvaluationError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EvaluationError | EvaluationJob]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: JobCreate,
) -> Response[EvaluationError | EvaluationJob]:
    """Seed 002: submit a job (POST /api/v1/jobs)

     202 with Location (this path) and Retry-After; Idempotency-Key as in /api/v1. ``data_source`` is a
        dataset's id or file name (a file name two datasets share is a 409 that lists them).

    Args:
        body (JobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EvaluationError | EvaluationJob]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: JobCreate,
) -> EvaluationError | EvaluationJob | None:
    """Seed 002: submit a job (POST /api/v1/jobs)

     202 with Location (this path) and Retry-After; Idempotency-Key as in /api/v1. ``data_source`` is a
        dataset's id or file name (a file name two datasets share is a 409 that lists them).

    Args:
        body (JobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EvaluationError | EvaluationJob
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: JobCreate,
) -> Response[EvaluationError | EvaluationJob]:
    """Seed 002: submit a job (POST /api/v1/jobs)

     202 with Location (this path) and Retry-After; Idempotency-Key as in /api/v1. ``data_source`` is a
        dataset's id or file name (a file name two datasets share is a 409 that lists them).

    Args:
        body (JobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EvaluationError | EvaluationJob]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: JobCreate,
) -> EvaluationError | EvaluationJob | None:
    """Seed 002: submit a job (POST /api/v1/jobs)

     202 with Location (this path) and Retry-After; Idempotency-Key as in /api/v1. ``data_source`` is a
        dataset's id or file name (a file name two datasets share is a 409 that lists them).

    Args:
        body (JobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EvaluationError | EvaluationJob
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

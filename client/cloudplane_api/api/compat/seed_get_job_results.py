from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.evaluation_error import EvaluationError
from ...models.seed_get_job_results_format import SeedGetJobResultsFormat
from ...models.seed_get_job_results_response_200 import SeedGetJobResultsResponse200
from ...types import UNSET, Response, Unset


def _get_kwargs(
    job_id: str,
    *,
    format_: SeedGetJobResultsFormat | Unset = SeedGetJobResultsFormat.JSON,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/jobs/{job_id}/results".format(
            job_id=quote(str(job_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | EvaluationError | SeedGetJobResultsResponse200 | None:
    if response.status_code == 200:
        response_200 = SeedGetJobResultsResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 303:
        response_303 = cast(Any, None)
        return response_303

    if response.status_code == 400:
        response_400 = EvaluationError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = EvaluationError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = EvaluationError.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = EvaluationError.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = EvaluationError.from_dict(response.json())

        return response_409

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
) -> Response[Any | EvaluationError | SeedGetJobResultsResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,
    format_: SeedGetJobResultsFormat | Unset = SeedGetJobResultsFormat.JSON,
) -> Response[Any | EvaluationError | SeedGetJobResultsResponse200]:
    """Seed 002: download a finished job's results (GET /api/v1/jobs/{id}/results)

     ``format=json`` (default) or ``csv``; larger results redirect (303) to a short-lived read-only URL.

    Args:
        job_id (str):
        format_ (SeedGetJobResultsFormat | Unset):  Default: SeedGetJobResultsFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | EvaluationError | SeedGetJobResultsResponse200]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: str,
    *,
    client: AuthenticatedClient,
    format_: SeedGetJobResultsFormat | Unset = SeedGetJobResultsFormat.JSON,
) -> Any | EvaluationError | SeedGetJobResultsResponse200 | None:
    """Seed 002: download a finished job's results (GET /api/v1/jobs/{id}/results)

     ``format=json`` (default) or ``csv``; larger results redirect (303) to a short-lived read-only URL.

    Args:
        job_id (str):
        format_ (SeedGetJobResultsFormat | Unset):  Default: SeedGetJobResultsFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | EvaluationError | SeedGetJobResultsResponse200
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,
    format_: SeedGetJobResultsFormat | Unset = SeedGetJobResultsFormat.JSON,
) -> Response[Any | EvaluationError | SeedGetJobResultsResponse200]:
    """Seed 002: download a finished job's results (GET /api/v1/jobs/{id}/results)

     ``format=json`` (default) or ``csv``; larger results redirect (303) to a short-lived read-only URL.

    Args:
        job_id (str):
        format_ (SeedGetJobResultsFormat | Unset):  Default: SeedGetJobResultsFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | EvaluationError | SeedGetJobResultsResponse200]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient,
    format_: SeedGetJobResultsFormat | Unset = SeedGetJobResultsFormat.JSON,
) -> Any | EvaluationError | SeedGetJobResultsResponse200 | None:
    """Seed 002: download a finished job's results (GET /api/v1/jobs/{id}/results)

     ``format=json`` (default) or ``csv``; larger results redirect (303) to a short-lived read-only URL.

    Args:
        job_id (str):
        format_ (SeedGetJobResultsFormat | Unset):  Default: SeedGetJobResultsFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | EvaluationError | SeedGetJobResultsResponse200
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            format_=format_,
        )
    ).parsed

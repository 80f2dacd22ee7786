from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.job_stats import JobStats
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    window_hours: int | Unset = 24,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["window_hours"] = window_hours

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/stats",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | JobStats | None:
    if response.status_code == 200:
        response_200 = JobStats.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | JobStats]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    window_hours: int | Unset = 24,
) -> Response[ErrorResponse | JobStats]:
    """Job statistics over a window

     Counts by status and type, success rate and run-time percentiles over the last ``window_hours``
        (1 to 720, default 24), from hourly aggregates. success_rate = completed / (completed +
        completed_with_errors + failed); cancelled jobs are not counted as finished. Terminal counts go
    by
        the hour a job ended (the window's first hour is counted whole); queued, running and cancelling
        counts are jobs created in the window that are still in that state.

    Args:
        window_hours (int | Unset): How many hours back from now (1 to 720). Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | JobStats]
    """

    kwargs = _get_kwargs(
        window_hours=window_hours,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    window_hours: int | Unset = 24,
) -> ErrorResponse | JobStats | None:
    """Job statistics over a window

     Counts by status and type, success rate and run-time percentiles over the last ``window_hours``
        (1 to 720, default 24), from hourly aggregates. success_rate = completed / (completed +
        completed_with_errors + failed); cancelled jobs are not counted as finished. Terminal counts go
    by
        the hour a job ended (the window's first hour is counted whole); queued, running and cancelling
        counts are jobs created in the window that are still in that state.

    Args:
        window_hours (int | Unset): How many hours back from now (1 to 720). Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | JobStats
    """

    return sync_detailed(
        client=client,
        window_hours=window_hours,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    window_hours: int | Unset = 24,
) -> Response[ErrorResponse | JobStats]:
    """Job statistics over a window

     Counts by status and type, success rate and run-time percentiles over the last ``window_hours``
        (1 to 720, default 24), from hourly aggregates. success_rate = completed / (completed +
        completed_with_errors + failed); cancelled jobs are not counted as finished. Terminal counts go
    by
        the hour a job ended (the window's first hour is counted whole); queued, running and cancelling
        counts are jobs created in the window that are still in that state.

    Args:
        window_hours (int | Unset): How many hours back from now (1 to 720). Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | JobStats]
    """

    kwargs = _get_kwargs(
        window_hours=window_hours,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    window_hours: int | Unset = 24,
) -> ErrorResponse | JobStats | None:
    """Job statistics over a window

     Counts by status and type, success rate and run-time percentiles over the last ``window_hours``
        (1 to 720, default 24), from hourly aggregates. success_rate = completed / (completed +
        completed_with_errors + failed); cancelled jobs are not counted as finished. Terminal counts go
    by
        the hour a job ended (the window's first hour is counted whole); queued, running and cancelling
        counts are jobs created in the window that are still in that state.

    Args:
        window_hours (int | Unset): How many hours back from now (1 to 720). Default: 24.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | JobStats
    """

    return (
        await asyncio_detailed(
            client=client,
            window_hours=window_hours,
        )
    ).parsed

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.legacy_delete_pod_response_200 import LegacyDeletePodResponse200
from ...models.legacy_error import LegacyError
from ...types import Response


def _get_kwargs(
    pod_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/k8s/pods/{pod_id}".format(
            pod_id=quote(str(pod_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LegacyDeletePodResponse200 | LegacyError | None:
    if response.status_code == 200:
        response_200 = LegacyDeletePodResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = LegacyError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = LegacyError.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = LegacyError.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = LegacyError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = LegacyError.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = LegacyError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[LegacyDeletePodResponse200 | LegacyError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    pod_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[LegacyDeletePodResponse200 | LegacyError]:
    """Seed: delete a pod (DELETE /api/v1/pods/{id})

     Answers 200 with ``{"success": true, ...}`` (v1 answers 204).

    Args:
        pod_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyDeletePodResponse200 | LegacyError]
    """

    kwargs = _get_kwargs(
        pod_id=pod_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    pod_id: str,
    *,
    client: AuthenticatedClient,
) -> LegacyDeletePodResponse200 | LegacyError | None:
    """Seed: delete a pod (DELETE /api/v1/pods/{id})

     Answers 200 with ``{"success": true, ...}`` (v1 answers 204).

    Args:
        pod_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyDeletePodResponse200 | LegacyError
    """

    return sync_detailed(
        pod_id=pod_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    pod_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[LegacyDeletePodResponse200 | LegacyError]:
    """Seed: delete a pod (DELETE /api/v1/pods/{id})

     Answers 200 with ``{"success": true, ...}`` (v1 answers 204).

    Args:
        pod_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyDeletePodResponse200 | LegacyError]
    """

    kwargs = _get_kwargs(
        pod_id=pod_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    pod_id: str,
    *,
    client: AuthenticatedClient,
) -> LegacyDeletePodResponse200 | LegacyError | None:
    """Seed: delete a pod (DELETE /api/v1/pods/{id})

     Answers 200 with ``{"success": true, ...}`` (v1 answers 204).

    Args:
        pod_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyDeletePodResponse200 | LegacyError
    """

    return (
        await asyncio_detailed(
            pod_id=pod_id,
            client=client,
        )
    ).parsed

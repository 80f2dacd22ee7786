from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.legacy_error import LegacyError
from ...models.legacy_test_server_response_200 import LegacyTestServerResponse200
from ...types import Response


def _get_kwargs(
    server_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/server-config/servers/{server_id}/test".format(
            server_id=quote(str(server_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LegacyError | LegacyTestServerResponse200 | None:
    if response.status_code == 200:
        response_200 = LegacyTestServerResponse200.from_dict(response.json())

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
) -> Response[LegacyError | LegacyTestServerResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    server_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[LegacyError | LegacyTestServerResponse200]:
    """Seed: check a cluster live (GET /api/v1/servers/{id}/test)

     ``success`` is whether the cluster answered (an unreachable one is a 200 with ``success: false``).

    Args:
        server_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | LegacyTestServerResponse200]
    """

    kwargs = _get_kwargs(
        server_id=server_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    server_id: str,
    *,
    client: AuthenticatedClient,
) -> LegacyError | LegacyTestServerResponse200 | None:
    """Seed: check a cluster live (GET /api/v1/servers/{id}/test)

     ``success`` is whether the cluster answered (an unreachable one is a 200 with ``success: false``).

    Args:
        server_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | LegacyTestServerResponse200
    """

    return sync_detailed(
        server_id=server_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    server_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[LegacyError | LegacyTestServerResponse200]:
    """Seed: check a cluster live (GET /api/v1/servers/{id}/test)

     ``success`` is whether the cluster answered (an unreachable one is a 200 with ``success: false``).

    Args:
        server_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | LegacyTestServerResponse200]
    """

    kwargs = _get_kwargs(
        server_id=server_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    server_id: str,
    *,
    client: AuthenticatedClient,
) -> LegacyError | LegacyTestServerResponse200 | None:
    """Seed: check a cluster live (GET /api/v1/servers/{id}/test)

     ``success`` is whether the cluster answered (an unreachable one is a 200 with ``success: false``).

    Args:
        server_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | LegacyTestServerResponse200
    """

    return (
        await asyncio_detailed(
            server_id=server_id,
            client=client,
        )
    ).parsed

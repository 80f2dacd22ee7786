from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.legacy_error import LegacyError
from ...models.legacy_list_pods_response_200 import LegacyListPodsResponse200
from ...models.legacy_list_pods_status_type_0 import LegacyListPodsStatusType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    server_id: None | str | Unset = UNSET,
    status: LegacyListPodsStatusType0 | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_server_id: None | str | Unset
    if isinstance(server_id, Unset):
        json_server_id = UNSET
    else:
        json_server_id = server_id
    params["server_id"] = json_server_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, LegacyListPodsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/k8s/pods",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LegacyError | LegacyListPodsResponse200 | None:
    if response.status_code == 200:
        response_200 = LegacyListPodsResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = LegacyError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = LegacyError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = LegacyError.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = LegacyError.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = LegacyError.from_dict(response.json())

        return response_422

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
) -> Response[LegacyError | LegacyListPodsResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    server_id: None | str | Unset = UNSET,
    status: LegacyListPodsStatusType0 | None | Unset = UNSET,
) -> Response[LegacyError | LegacyListPodsResponse200]:
    """Seed: list pods across servers (GET /api/v1/pods, all pages)

     A server that is down or slow is an ``errors`` entry, not a failure.

    Args:
        server_id (None | str | Unset):
        status (LegacyListPodsStatusType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | LegacyListPodsResponse200]
    """

    kwargs = _get_kwargs(
        server_id=server_id,
        status=status,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    server_id: None | str | Unset = UNSET,
    status: LegacyListPodsStatusType0 | None | Unset = UNSET,
) -> LegacyError | LegacyListPodsResponse200 | None:
    """Seed: list pods across servers (GET /api/v1/pods, all pages)

     A server that is down or slow is an ``errors`` entry, not a failure.

    Args:
        server_id (None | str | Unset):
        status (LegacyListPodsStatusType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | LegacyListPodsResponse200
    """

    return sync_detailed(
        client=client,
        server_id=server_id,
        status=status,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    server_id: None | str | Unset = UNSET,
    status: LegacyListPodsStatusType0 | None | Unset = UNSET,
) -> Response[LegacyError | LegacyListPodsResponse200]:
    """Seed: list pods across servers (GET /api/v1/pods, all pages)

     A server that is down or slow is an ``errors`` entry, not a failure.

    Args:
        server_id (None | str | Unset):
        status (LegacyListPodsStatusType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | LegacyListPodsResponse200]
    """

    kwargs = _get_kwargs(
        server_id=server_id,
        status=status,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    server_id: None | str | Unset = UNSET,
    status: LegacyListPodsStatusType0 | None | Unset = UNSET,
) -> LegacyError | LegacyListPodsResponse200 | None:
    """Seed: list pods across servers (GET /api/v1/pods, all pages)

     A server that is down or slow is an ``errors`` entry, not a failure.

    Args:
        server_id (None | str | Unset):
        status (LegacyListPodsStatusType0 | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | LegacyListPodsResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            server_id=server_id,
            status=status,
        )
    ).parsed

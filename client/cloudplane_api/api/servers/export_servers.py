from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.server_export import ServerExport
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    include_credentials: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["include_credentials"] = include_credentials

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/servers:export",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ServerExport | None:
    if response.status_code == 200:
        response_200 = ServerExport.from_dict(response.json())

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
) -> Response[ErrorResponse | ServerExport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    include_credentials: bool | Unset = False,
) -> Response[ErrorResponse | ServerExport]:
    """Export the tenant's servers and templates

     Credentials are left out unless ``include_credentials=true``; then they are the sealed ciphertext
        (base64 and key id), which only this deployment's key opens, and only for the same tenant and
    server id.
        Built-in templates are not exported.

    Args:
        include_credentials (bool | Unset): Add each server's sealed credentials (ciphertext only
            this deployment can open). Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ServerExport]
    """

    kwargs = _get_kwargs(
        include_credentials=include_credentials,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    include_credentials: bool | Unset = False,
) -> ErrorResponse | ServerExport | None:
    """Export the tenant's servers and templates

     Credentials are left out unless ``include_credentials=true``; then they are the sealed ciphertext
        (base64 and key id), which only this deployment's key opens, and only for the same tenant and
    server id.
        Built-in templates are not exported.

    Args:
        include_credentials (bool | Unset): Add each server's sealed credentials (ciphertext only
            this deployment can open). Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ServerExport
    """

    return sync_detailed(
        client=client,
        include_credentials=include_credentials,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    include_credentials: bool | Unset = False,
) -> Response[ErrorResponse | ServerExport]:
    """Export the tenant's servers and templates

     Credentials are left out unless ``include_credentials=true``; then they are the sealed ciphertext
        (base64 and key id), which only this deployment's key opens, and only for the same tenant and
    server id.
        Built-in templates are not exported.

    Args:
        include_credentials (bool | Unset): Add each server's sealed credentials (ciphertext only
            this deployment can open). Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ServerExport]
    """

    kwargs = _get_kwargs(
        include_credentials=include_credentials,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    include_credentials: bool | Unset = False,
) -> ErrorResponse | ServerExport | None:
    """Export the tenant's servers and templates

     Credentials are left out unless ``include_credentials=true``; then they are the sealed ciphertext
        (base64 and key id), which only this deployment's key opens, and only for the same tenant and
    server id.
        Built-in templates are not exported.

    Args:
        include_credentials (bool | Unset): Add each server's sealed credentials (ciphertext only
            this deployment can open). Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ServerExport
    """

    return (
        await asyncio_detailed(
            client=client,
            include_credentials=include_credentials,
        )
    ).parsed

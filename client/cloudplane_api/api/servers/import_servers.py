from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.import_result import ImportResult
from ...models.server_export import ServerExport
from ...types import Response


def _get_kwargs(
    *,
    body: ServerExport,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/servers:import",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ImportResult | None:
    if response.status_code == 200:
        response_200 = ImportResult.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorResponse.from_dict(response.json())

        return response_415

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
) -> Response[ErrorResponse | ImportResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ServerExport,
) -> Response[ErrorResponse | ImportResult]:
    """Restore servers and templates from an export

     By id: missing ones are created, changed ones updated, identical ones skipped. Items that cannot be
        imported (a taken name, an endpoint that breaks the address rules) are listed in ``errors``;
    credentials
        that do not open here for this tenant and server are not restored (``CREDENTIALS_NOT_RESTORED``)
    and the
        server is imported without them.

    Args:
        body (ServerExport): A tenant's servers and own templates (built-in templates are not
            exported).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImportResult]
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
    body: ServerExport,
) -> ErrorResponse | ImportResult | None:
    """Restore servers and templates from an export

     By id: missing ones are created, changed ones updated, identical ones skipped. Items that cannot be
        imported (a taken name, an endpoint that breaks the address rules) are listed in ``errors``;
    credentials
        that do not open here for this tenant and server are not restored (``CREDENTIALS_NOT_RESTORED``)
    and the
        server is imported without them.

    Args:
        body (ServerExport): A tenant's servers and own templates (built-in templates are not
            exported).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImportResult
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ServerExport,
) -> Response[ErrorResponse | ImportResult]:
    """Restore servers and templates from an export

     By id: missing ones are created, changed ones updated, identical ones skipped. Items that cannot be
        imported (a taken name, an endpoint that breaks the address rules) are listed in ``errors``;
    credentials
        that do not open here for this tenant and server are not restored (``CREDENTIALS_NOT_RESTORED``)
    and the
        server is imported without them.

    Args:
        body (ServerExport): A tenant's servers and own templates (built-in templates are not
            exported).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImportResult]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ServerExport,
) -> ErrorResponse | ImportResult | None:
    """Restore servers and templates from an export

     By id: missing ones are created, changed ones updated, identical ones skipped. Items that cannot be
        imported (a taken name, an endpoint that breaks the address rules) are listed in ``errors``;
    credentials
        that do not open here for this tenant and server are not restored (``CREDENTIALS_NOT_RESTORED``)
    and the
        server is imported without them.

    Args:
        body (ServerExport): A tenant's servers and own templates (built-in templates are not
            exported).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImportResult
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

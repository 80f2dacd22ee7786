from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.clouds_yaml_import import CloudsYamlImport
from ...models.clouds_yaml_imported import CloudsYamlImported
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    *,
    body: CloudsYamlImport,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/servers:import-clouds",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CloudsYamlImported | ErrorResponse | None:
    if response.status_code == 201:
        response_201 = CloudsYamlImported.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

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
) -> Response[CloudsYamlImported | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CloudsYamlImport,
) -> Response[CloudsYamlImported | ErrorResponse]:
    """Register every cloud of a clouds.yaml

     One OpenStack server per cloud of the file (or per named cloud), named after it: all or none.

    Args:
        body (CloudsYamlImport): Register the clouds of a clouds.yaml at once, each a server named
            after its cloud.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CloudsYamlImported | ErrorResponse]
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
    body: CloudsYamlImport,
) -> CloudsYamlImported | ErrorResponse | None:
    """Register every cloud of a clouds.yaml

     One OpenStack server per cloud of the file (or per named cloud), named after it: all or none.

    Args:
        body (CloudsYamlImport): Register the clouds of a clouds.yaml at once, each a server named
            after its cloud.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CloudsYamlImported | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CloudsYamlImport,
) -> Response[CloudsYamlImported | ErrorResponse]:
    """Register every cloud of a clouds.yaml

     One OpenStack server per cloud of the file (or per named cloud), named after it: all or none.

    Args:
        body (CloudsYamlImport): Register the clouds of a clouds.yaml at once, each a server named
            after its cloud.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CloudsYamlImported | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CloudsYamlImport,
) -> CloudsYamlImported | ErrorResponse | None:
    """Register every cloud of a clouds.yaml

     One OpenStack server per cloud of the file (or per named cloud), named after it: all or none.

    Args:
        body (CloudsYamlImport): Register the clouds of a clouds.yaml at once, each a server named
            after its cloud.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CloudsYamlImported | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

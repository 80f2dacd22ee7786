from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.server import Server
from ...models.server_create import ServerCreate
from ...types import Response


def _get_kwargs(
    *,
    body: ServerCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/servers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | Server | None:
    if response.status_code == 201:
        response_201 = Server.from_dict(response.json())

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
) -> Response[ErrorResponse | Server]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ServerCreate,
) -> Response[ErrorResponse | Server]:
    """Register a Kubernetes cluster or an OpenStack cloud

     Give ``kubeconfig`` (YAML text) or ``api_url`` with ``token`` and ``ca_bundle``; or
        ``"kind": "openstack"`` with ``cloud``, one clouds.yaml entry.

        Credentials are encrypted at rest and never returned; the endpoint must not be a
        link-local or metadata address (nor loopback/private unless the deployment allows it).

    Args:
        body (ServerCreate): Register a cluster: ``kubeconfig`` or ``api_url`` (+ ``token``,
            ``ca_bundle``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Server]
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
    body: ServerCreate,
) -> ErrorResponse | Server | None:
    """Register a Kubernetes cluster or an OpenStack cloud

     Give ``kubeconfig`` (YAML text) or ``api_url`` with ``token`` and ``ca_bundle``; or
        ``"kind": "openstack"`` with ``cloud``, one clouds.yaml entry.

        Credentials are encrypted at rest and never returned; the endpoint must not be a
        link-local or metadata address (nor loopback/private unless the deployment allows it).

    Args:
        body (ServerCreate): Register a cluster: ``kubeconfig`` or ``api_url`` (+ ``token``,
            ``ca_bundle``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Server
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ServerCreate,
) -> Response[ErrorResponse | Server]:
    """Register a Kubernetes cluster or an OpenStack cloud

     Give ``kubeconfig`` (YAML text) or ``api_url`` with ``token`` and ``ca_bundle``; or
        ``"kind": "openstack"`` with ``cloud``, one clouds.yaml entry.

        Credentials are encrypted at rest and never returned; the endpoint must not be a
        link-local or metadata address (nor loopback/private unless the deployment allows it).

    Args:
        body (ServerCreate): Register a cluster: ``kubeconfig`` or ``api_url`` (+ ``token``,
            ``ca_bundle``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Server]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ServerCreate,
) -> ErrorResponse | Server | None:
    """Register a Kubernetes cluster or an OpenStack cloud

     Give ``kubeconfig`` (YAML text) or ``api_url`` with ``token`` and ``ca_bundle``; or
        ``"kind": "openstack"`` with ``cloud``, one clouds.yaml entry.

        Credentials are encrypted at rest and never returned; the endpoint must not be a
        link-local or metadata address (nor loopback/private unless the deployment allows it).

    Args:
        body (ServerCreate): Register a cluster: ``kubeconfig`` or ``api_url`` (+ ``token``,
            ``ca_bundle``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Server
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

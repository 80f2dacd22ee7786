from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.identity_mapping import IdentityMapping
from ...models.identity_mapping_create import IdentityMappingCreate
from ...types import Response


def _get_kwargs(
    *,
    body: IdentityMappingCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/identity-mappings",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | IdentityMapping | None:
    if response.status_code == 201:
        response_201 = IdentityMapping.from_dict(response.json())

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
) -> Response[ErrorResponse | IdentityMapping]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: IdentityMappingCreate,
) -> Response[ErrorResponse | IdentityMapping]:
    """Map an Entra tenant (optionally one group or app role) to a tenant

     Tokens of ``entra_tenant_id`` act for ``tenant_id``; with ``group_id`` or ``app_role``, only tokens
        that list the group or carry the role (such a mapping wins over the tenant-wide one).

    Args:
        body (IdentityMappingCreate): Tokens of ``entra_tenant_id`` (and, when given, only those
            in ``group_id`` or carrying
            ``app_role``) act for Cloudplane tenant ``tenant_id``. A token that matches a group or
            role
            mapping uses it over the tenant-wide one; one that matches mappings to two tenants is
            refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | IdentityMapping]
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
    body: IdentityMappingCreate,
) -> ErrorResponse | IdentityMapping | None:
    """Map an Entra tenant (optionally one group or app role) to a tenant

     Tokens of ``entra_tenant_id`` act for ``tenant_id``; with ``group_id`` or ``app_role``, only tokens
        that list the group or carry the role (such a mapping wins over the tenant-wide one).

    Args:
        body (IdentityMappingCreate): Tokens of ``entra_tenant_id`` (and, when given, only those
            in ``group_id`` or carrying
            ``app_role``) act for Cloudplane tenant ``tenant_id``. A token that matches a group or
            role
            mapping uses it over the tenant-wide one; one that matches mappings to two tenants is
            refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | IdentityMapping
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: IdentityMappingCreate,
) -> Response[ErrorResponse | IdentityMapping]:
    """Map an Entra tenant (optionally one group or app role) to a tenant

     Tokens of ``entra_tenant_id`` act for ``tenant_id``; with ``group_id`` or ``app_role``, only tokens
        that list the group or carry the role (such a mapping wins over the tenant-wide one).

    Args:
        body (IdentityMappingCreate): Tokens of ``entra_tenant_id`` (and, when given, only those
            in ``group_id`` or carrying
            ``app_role``) act for Cloudplane tenant ``tenant_id``. A token that matches a group or
            role
            mapping uses it over the tenant-wide one; one that matches mappings to two tenants is
            refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | IdentityMapping]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: IdentityMappingCreate,
) -> ErrorResponse | IdentityMapping | None:
    """Map an Entra tenant (optionally one group or app role) to a tenant

     Tokens of ``entra_tenant_id`` act for ``tenant_id``; with ``group_id`` or ``app_role``, only tokens
        that list the group or carry the role (such a mapping wins over the tenant-wide one).

    Args:
        body (IdentityMappingCreate): Tokens of ``entra_tenant_id`` (and, when given, only those
            in ``group_id`` or carrying
            ``app_role``) act for Cloudplane tenant ``tenant_id``. A token that matches a group or
            role
            mapping uses it over the tenant-wide one; one that matches mappings to two tenants is
            refused.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | IdentityMapping
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

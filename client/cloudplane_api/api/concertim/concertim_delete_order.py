from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.concertim_delete_order_response_200 import (
    ConcertimDeleteOrderResponse200,
)
from ...models.concertim_error import ConcertimError
from ...models.order_request import OrderRequest
from ...types import Response


def _get_kwargs(
    *,
    body: OrderRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/concertim/delete_order",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConcertimDeleteOrderResponse200 | ConcertimError | None:
    if response.status_code == 200:
        response_200 = ConcertimDeleteOrderResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ConcertimError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ConcertimError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ConcertimError.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ConcertimError.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ConcertimError.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ConcertimError.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ConcertimError.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ConcertimError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ConcertimError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ConcertimError.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ConcertimError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConcertimDeleteOrderResponse200 | ConcertimError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OrderRequest,
) -> Response[ConcertimDeleteOrderResponse200 | ConcertimError]:
    """Concertim: end a cluster's order

     Seed 004's billing body over the billing service (``shared/services/billing_concertim.py``), for
            the configured tenant's accounts only: another tenant's account is a 404 as a missing one
    is.

    Args:
        body (OrderRequest): ``create_order`` (``billing_acct_id``, ``cluster_id``, ``plan``) and
            ``delete_order`` (``order_id``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConcertimDeleteOrderResponse200 | ConcertimError]
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
    body: OrderRequest,
) -> ConcertimDeleteOrderResponse200 | ConcertimError | None:
    """Concertim: end a cluster's order

     Seed 004's billing body over the billing service (``shared/services/billing_concertim.py``), for
            the configured tenant's accounts only: another tenant's account is a 404 as a missing one
    is.

    Args:
        body (OrderRequest): ``create_order`` (``billing_acct_id``, ``cluster_id``, ``plan``) and
            ``delete_order`` (``order_id``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConcertimDeleteOrderResponse200 | ConcertimError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OrderRequest,
) -> Response[ConcertimDeleteOrderResponse200 | ConcertimError]:
    """Concertim: end a cluster's order

     Seed 004's billing body over the billing service (``shared/services/billing_concertim.py``), for
            the configured tenant's accounts only: another tenant's account is a 404 as a missing one
    is.

    Args:
        body (OrderRequest): ``create_order`` (``billing_acct_id``, ``cluster_id``, ``plan``) and
            ``delete_order`` (``order_id``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConcertimDeleteOrderResponse200 | ConcertimError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OrderRequest,
) -> ConcertimDeleteOrderResponse200 | ConcertimError | None:
    """Concertim: end a cluster's order

     Seed 004's billing body over the billing service (``shared/services/billing_concertim.py``), for
            the configured tenant's accounts only: another tenant's account is a 404 as a missing one
    is.

    Args:
        body (OrderRequest): ``create_order`` (``billing_acct_id``, ``cluster_id``, ``plan``) and
            ``delete_order`` (``order_id``).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConcertimDeleteOrderResponse200 | ConcertimError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

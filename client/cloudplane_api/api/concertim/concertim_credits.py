from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.concertim_credits_response_200 import ConcertimCreditsResponse200
from ...models.concertim_error import ConcertimError
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/concertim/credits",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConcertimCreditsResponse200 | ConcertimError | None:
    if response.status_code == 200:
        response_200 = ConcertimCreditsResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ConcertimError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ConcertimError.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = ConcertimError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ConcertimError.from_dict(response.json())

        return response_500

    if response.status_code == 501:
        response_501 = ConcertimError.from_dict(response.json())

        return response_501

    if response.status_code == 503:
        response_503 = ConcertimError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConcertimCreditsResponse200 | ConcertimError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[ConcertimCreditsResponse200 | ConcertimError]:
    """Concertim: add credits to a team's account (501, not served yet)

     Answers 501: billing (invoices, credits, orders) is not mapped onto Cloudplane yet.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConcertimCreditsResponse200 | ConcertimError]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> ConcertimCreditsResponse200 | ConcertimError | None:
    """Concertim: add credits to a team's account (501, not served yet)

     Answers 501: billing (invoices, credits, orders) is not mapped onto Cloudplane yet.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConcertimCreditsResponse200 | ConcertimError
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[ConcertimCreditsResponse200 | ConcertimError]:
    """Concertim: add credits to a team's account (501, not served yet)

     Answers 501: billing (invoices, credits, orders) is not mapped onto Cloudplane yet.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConcertimCreditsResponse200 | ConcertimError]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> ConcertimCreditsResponse200 | ConcertimError | None:
    """Concertim: add credits to a team's account (501, not served yet)

     Answers 501: billing (invoices, credits, orders) is not mapped onto Cloudplane yet.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConcertimCreditsResponse200 | ConcertimError
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed

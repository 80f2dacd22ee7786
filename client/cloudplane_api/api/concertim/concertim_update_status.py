from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.concertim_error import ConcertimError
from ...models.concertim_update_status_response_202 import (
    ConcertimUpdateStatusResponse202,
)
from ...models.status_update import StatusUpdate
from ...types import Response


def _get_kwargs(
    object_type: str,
    object_id: str,
    *,
    body: StatusUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/concertim/update_status/{object_type}/{object_id}".format(
            object_type=quote(str(object_type), safe=""),
            object_id=quote(str(object_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConcertimError | ConcertimUpdateStatusResponse202 | None:
    if response.status_code == 202:
        response_202 = ConcertimUpdateStatusResponse202.from_dict(response.json())

        return response_202

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
) -> Response[ConcertimError | ConcertimUpdateStatusResponse202]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    object_type: str,
    object_id: str,
    *,
    client: AuthenticatedClient,
    body: StatusUpdate,
) -> Response[ConcertimError | ConcertimUpdateStatusResponse202]:
    """Concertim: a power action on a device (server) or rack (Heat stack) (the v1 actions' check and send)

     ``devices`` (or ``instances``): on, off, suspend, resume, destroy; ``racks``: suspend, resume,
    destroy.
        An action the state does not allow is a 409 naming the state; otherwise OpenStack takes it (it
    runs it
        asynchronously) and the answer is 202 ``{"cloud_response": {...}}``.

    Args:
        object_type (str):
        object_id (str):
        body (StatusUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConcertimError | ConcertimUpdateStatusResponse202]
    """

    kwargs = _get_kwargs(
        object_type=object_type,
        object_id=object_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    object_type: str,
    object_id: str,
    *,
    client: AuthenticatedClient,
    body: StatusUpdate,
) -> ConcertimError | ConcertimUpdateStatusResponse202 | None:
    """Concertim: a power action on a device (server) or rack (Heat stack) (the v1 actions' check and send)

     ``devices`` (or ``instances``): on, off, suspend, resume, destroy; ``racks``: suspend, resume,
    destroy.
        An action the state does not allow is a 409 naming the state; otherwise OpenStack takes it (it
    runs it
        asynchronously) and the answer is 202 ``{"cloud_response": {...}}``.

    Args:
        object_type (str):
        object_id (str):
        body (StatusUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConcertimError | ConcertimUpdateStatusResponse202
    """

    return sync_detailed(
        object_type=object_type,
        object_id=object_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    object_type: str,
    object_id: str,
    *,
    client: AuthenticatedClient,
    body: StatusUpdate,
) -> Response[ConcertimError | ConcertimUpdateStatusResponse202]:
    """Concertim: a power action on a device (server) or rack (Heat stack) (the v1 actions' check and send)

     ``devices`` (or ``instances``): on, off, suspend, resume, destroy; ``racks``: suspend, resume,
    destroy.
        An action the state does not allow is a 409 naming the state; otherwise OpenStack takes it (it
    runs it
        asynchronously) and the answer is 202 ``{"cloud_response": {...}}``.

    Args:
        object_type (str):
        object_id (str):
        body (StatusUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConcertimError | ConcertimUpdateStatusResponse202]
    """

    kwargs = _get_kwargs(
        object_type=object_type,
        object_id=object_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    object_type: str,
    object_id: str,
    *,
    client: AuthenticatedClient,
    body: StatusUpdate,
) -> ConcertimError | ConcertimUpdateStatusResponse202 | None:
    """Concertim: a power action on a device (server) or rack (Heat stack) (the v1 actions' check and send)

     ``devices`` (or ``instances``): on, off, suspend, resume, destroy; ``racks``: suspend, resume,
    destroy.
        An action the state does not allow is a 409 naming the state; otherwise OpenStack takes it (it
    runs it
        asynchronously) and the answer is 202 ``{"cloud_response": {...}}``.

    Args:
        object_type (str):
        object_id (str):
        body (StatusUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConcertimError | ConcertimUpdateStatusResponse202
    """

    return (
        await asyncio_detailed(
            object_type=object_type,
            object_id=object_id,
            client=client,
            body=body,
        )
    ).parsed

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.job import Job
from ...models.rack_action_request import RackActionRequest
from ...types import Response


def _get_kwargs(
    cloud_id: str,
    stack_id: str,
    *,
    body: RackActionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/clouds/{cloud_id}/racks/{stack_id}/actions".format(
            cloud_id=quote(str(cloud_id), safe=""),
            stack_id=quote(str(stack_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | Job | None:
    if response.status_code == 202:
        response_202 = Job.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[ErrorResponse | Job]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    cloud_id: str,
    stack_id: str,
    *,
    client: AuthenticatedClient,
    body: RackActionRequest,
) -> Response[ErrorResponse | Job]:
    """Suspend, resume or destroy a rack (a Heat stack): a job that ends at the target state

     The job completes at SUSPEND_COMPLETE, RESUME_COMPLETE or when the stack is gone, and fails
        with Heat's ``stack_status_reason`` (a ``*_FAILED`` stack) or ``ACTION_TIMEOUT``; an action the
        stack's state does not allow is ``409 ACTION_NOT_ALLOWED`` with that state.

    Args:
        cloud_id (str):
        stack_id (str):
        body (RackActionRequest): ``POST /api/v1/clouds/{cloud_id}/racks/{stack_id}/actions`` (a
            rack is a Heat stack).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Job]
    """

    kwargs = _get_kwargs(
        cloud_id=cloud_id,
        stack_id=stack_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    cloud_id: str,
    stack_id: str,
    *,
    client: AuthenticatedClient,
    body: RackActionRequest,
) -> ErrorResponse | Job | None:
    """Suspend, resume or destroy a rack (a Heat stack): a job that ends at the target state

     The job completes at SUSPEND_COMPLETE, RESUME_COMPLETE or when the stack is gone, and fails
        with Heat's ``stack_status_reason`` (a ``*_FAILED`` stack) or ``ACTION_TIMEOUT``; an action the
        stack's state does not allow is ``409 ACTION_NOT_ALLOWED`` with that state.

    Args:
        cloud_id (str):
        stack_id (str):
        body (RackActionRequest): ``POST /api/v1/clouds/{cloud_id}/racks/{stack_id}/actions`` (a
            rack is a Heat stack).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Job
    """

    return sync_detailed(
        cloud_id=cloud_id,
        stack_id=stack_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    cloud_id: str,
    stack_id: str,
    *,
    client: AuthenticatedClient,
    body: RackActionRequest,
) -> Response[ErrorResponse | Job]:
    """Suspend, resume or destroy a rack (a Heat stack): a job that ends at the target state

     The job completes at SUSPEND_COMPLETE, RESUME_COMPLETE or when the stack is gone, and fails
        with Heat's ``stack_status_reason`` (a ``*_FAILED`` stack) or ``ACTION_TIMEOUT``; an action the
        stack's state does not allow is ``409 ACTION_NOT_ALLOWED`` with that state.

    Args:
        cloud_id (str):
        stack_id (str):
        body (RackActionRequest): ``POST /api/v1/clouds/{cloud_id}/racks/{stack_id}/actions`` (a
            rack is a Heat stack).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Job]
    """

    kwargs = _get_kwargs(
        cloud_id=cloud_id,
        stack_id=stack_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    cloud_id: str,
    stack_id: str,
    *,
    client: AuthenticatedClient,
    body: RackActionRequest,
) -> ErrorResponse | Job | None:
    """Suspend, resume or destroy a rack (a Heat stack): a job that ends at the target state

     The job completes at SUSPEND_COMPLETE, RESUME_COMPLETE or when the stack is gone, and fails
        with Heat's ``stack_status_reason`` (a ``*_FAILED`` stack) or ``ACTION_TIMEOUT``; an action the
        stack's state does not allow is ``409 ACTION_NOT_ALLOWED`` with that state.

    Args:
        cloud_id (str):
        stack_id (str):
        body (RackActionRequest): ``POST /api/v1/clouds/{cloud_id}/racks/{stack_id}/actions`` (a
            rack is a Heat stack).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Job
    """

    return (
        await asyncio_detailed(
            cloud_id=cloud_id,
            stack_id=stack_id,
            client=client,
            body=body,
        )
    ).parsed

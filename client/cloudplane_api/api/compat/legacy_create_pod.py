from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.legacy_create_pod_response_200 import LegacyCreatePodResponse200
from ...models.legacy_error import LegacyError
from ...models.legacy_pod_create import LegacyPodCreate
from ...types import Response


def _get_kwargs(
    *,
    body: LegacyPodCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/k8s/pods",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LegacyCreatePodResponse200 | LegacyError | None:
    if response.status_code == 200:
        response_200 = LegacyCreatePodResponse200.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = LegacyError.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = LegacyError.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = LegacyError.from_dict(response.json())

        return response_415

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
) -> Response[LegacyCreatePodResponse200 | LegacyError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: LegacyPodCreate,
) -> Response[LegacyCreatePodResponse200 | LegacyError]:
    """Seed: create a pod (POST /api/v1/pods)

     Answers 200 (as the seed does). Without ``image``: the ``builtin:gpu-1`` template's image and
    command
        when ``gpus > 0``, else ``builtin:cpu-small``'s.

    Args:
        body (LegacyPodCreate): ``POST /api/k8s/pods`` with the seed's fields; ``image`` is
            optional (see docs/compat.md).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyCreatePodResponse200 | LegacyError]
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
    body: LegacyPodCreate,
) -> LegacyCreatePodResponse200 | LegacyError | None:
    """Seed: create a pod (POST /api/v1/pods)

     Answers 200 (as the seed does). Without ``image``: the ``builtin:gpu-1`` template's image and
    command
        when ``gpus > 0``, else ``builtin:cpu-small``'s.

    Args:
        body (LegacyPodCreate): ``POST /api/k8s/pods`` with the seed's fields; ``image`` is
            optional (see docs/compat.md).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyCreatePodResponse200 | LegacyError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: LegacyPodCreate,
) -> Response[LegacyCreatePodResponse200 | LegacyError]:
    """Seed: create a pod (POST /api/v1/pods)

     Answers 200 (as the seed does). Without ``image``: the ``builtin:gpu-1`` template's image and
    command
        when ``gpus > 0``, else ``builtin:cpu-small``'s.

    Args:
        body (LegacyPodCreate): ``POST /api/k8s/pods`` with the seed's fields; ``image`` is
            optional (see docs/compat.md).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyCreatePodResponse200 | LegacyError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: LegacyPodCreate,
) -> LegacyCreatePodResponse200 | LegacyError | None:
    """Seed: create a pod (POST /api/v1/pods)

     Answers 200 (as the seed does). Without ``image``: the ``builtin:gpu-1`` template's image and
    command
        when ``gpus > 0``, else ``builtin:cpu-small``'s.

    Args:
        body (LegacyPodCreate): ``POST /api/k8s/pods`` with the seed's fields; ``image`` is
            optional (see docs/compat.md).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyCreatePodResponse200 | LegacyError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

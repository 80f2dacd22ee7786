from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.legacy_error import LegacyError
from ...models.legacy_pod_update import LegacyPodUpdate
from ...models.legacy_update_pod_response_200 import LegacyUpdatePodResponse200
from ...types import Response


def _get_kwargs(
    pod_id: str,
    *,
    body: LegacyPodUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/k8s/pods/{pod_id}".format(
            pod_id=quote(str(pod_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LegacyError | LegacyUpdatePodResponse200 | None:
    if response.status_code == 200:
        response_200 = LegacyUpdatePodResponse200.from_dict(response.json())

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
) -> Response[LegacyError | LegacyUpdatePodResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    pod_id: str,
    *,
    client: AuthenticatedClient,
    body: LegacyPodUpdate,
) -> Response[LegacyError | LegacyUpdatePodResponse200]:
    """Seed: change a pod, replaced at once (PUT /api/v1/pods/{id} does it as a job)

     The seed expects the changed pod back, so the replacement (delete, then create with the same id,
    name
        and server) runs within the request, by the same service function the ``pods.replace`` job runs.

    Args:
        pod_id (str):
        body (LegacyPodUpdate): ``PUT /api/k8s/pods/{id}``: fields given replace the pod's (the
            pod is replaced at once).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | LegacyUpdatePodResponse200]
    """

    kwargs = _get_kwargs(
        pod_id=pod_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    pod_id: str,
    *,
    client: AuthenticatedClient,
    body: LegacyPodUpdate,
) -> LegacyError | LegacyUpdatePodResponse200 | None:
    """Seed: change a pod, replaced at once (PUT /api/v1/pods/{id} does it as a job)

     The seed expects the changed pod back, so the replacement (delete, then create with the same id,
    name
        and server) runs within the request, by the same service function the ``pods.replace`` job runs.

    Args:
        pod_id (str):
        body (LegacyPodUpdate): ``PUT /api/k8s/pods/{id}``: fields given replace the pod's (the
            pod is replaced at once).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | LegacyUpdatePodResponse200
    """

    return sync_detailed(
        pod_id=pod_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    pod_id: str,
    *,
    client: AuthenticatedClient,
    body: LegacyPodUpdate,
) -> Response[LegacyError | LegacyUpdatePodResponse200]:
    """Seed: change a pod, replaced at once (PUT /api/v1/pods/{id} does it as a job)

     The seed expects the changed pod back, so the replacement (delete, then create with the same id,
    name
        and server) runs within the request, by the same service function the ``pods.replace`` job runs.

    Args:
        pod_id (str):
        body (LegacyPodUpdate): ``PUT /api/k8s/pods/{id}``: fields given replace the pod's (the
            pod is replaced at once).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | LegacyUpdatePodResponse200]
    """

    kwargs = _get_kwargs(
        pod_id=pod_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    pod_id: str,
    *,
    client: AuthenticatedClient,
    body: LegacyPodUpdate,
) -> LegacyError | LegacyUpdatePodResponse200 | None:
    """Seed: change a pod, replaced at once (PUT /api/v1/pods/{id} does it as a job)

     The seed expects the changed pod back, so the replacement (delete, then create with the same id,
    name
        and server) runs within the request, by the same service function the ``pods.replace`` job runs.

    Args:
        pod_id (str):
        body (LegacyPodUpdate): ``PUT /api/k8s/pods/{id}``: fields given replace the pod's (the
            pod is replaced at once).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | LegacyUpdatePodResponse200
    """

    return (
        await asyncio_detailed(
            pod_id=pod_id,
            client=client,
            body=body,
        )
    ).parsed

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.concertim_error import ConcertimError
from ...models.concertim_team_quotas_response_200 import ConcertimTeamQuotasResponse200
from ...models.optional_cloud_env import OptionalCloudEnv
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: str,
    *,
    body: OptionalCloudEnv | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/concertim/team/{project_id}/quotas".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConcertimError | ConcertimTeamQuotasResponse200 | None:
    if response.status_code == 200:
        response_200 = ConcertimTeamQuotasResponse200.from_dict(response.json())

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
) -> Response[ConcertimError | ConcertimTeamQuotasResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient,
    body: OptionalCloudEnv | Unset = UNSET,
) -> Response[ConcertimError | ConcertimTeamQuotasResponse200]:
    """Concertim: a team's compute, volume and network quotas (GET
    /api/v1/clouds/{id}/teams/{team_id}/quotas)

     ``cloud_env`` in the body is optional here: Concertim's UI sends none (its service used its own
        admin credentials), and then the tenant's registered OpenStack cloud answers (there must be
    one).

    Args:
        project_id (str):
        body (OptionalCloudEnv | Unset): ``GET /team/{project_id}/quotas``: Concertim's UI sends
            no body (its service used its own admin
            credentials); without ``cloud_env`` the tenant's registered OpenStack cloud answers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConcertimError | ConcertimTeamQuotasResponse200]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient,
    body: OptionalCloudEnv | Unset = UNSET,
) -> ConcertimError | ConcertimTeamQuotasResponse200 | None:
    """Concertim: a team's compute, volume and network quotas (GET
    /api/v1/clouds/{id}/teams/{team_id}/quotas)

     ``cloud_env`` in the body is optional here: Concertim's UI sends none (its service used its own
        admin credentials), and then the tenant's registered OpenStack cloud answers (there must be
    one).

    Args:
        project_id (str):
        body (OptionalCloudEnv | Unset): ``GET /team/{project_id}/quotas``: Concertim's UI sends
            no body (its service used its own admin
            credentials); without ``cloud_env`` the tenant's registered OpenStack cloud answers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConcertimError | ConcertimTeamQuotasResponse200
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient,
    body: OptionalCloudEnv | Unset = UNSET,
) -> Response[ConcertimError | ConcertimTeamQuotasResponse200]:
    """Concertim: a team's compute, volume and network quotas (GET
    /api/v1/clouds/{id}/teams/{team_id}/quotas)

     ``cloud_env`` in the body is optional here: Concertim's UI sends none (its service used its own
        admin credentials), and then the tenant's registered OpenStack cloud answers (there must be
    one).

    Args:
        project_id (str):
        body (OptionalCloudEnv | Unset): ``GET /team/{project_id}/quotas``: Concertim's UI sends
            no body (its service used its own admin
            credentials); without ``cloud_env`` the tenant's registered OpenStack cloud answers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConcertimError | ConcertimTeamQuotasResponse200]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient,
    body: OptionalCloudEnv | Unset = UNSET,
) -> ConcertimError | ConcertimTeamQuotasResponse200 | None:
    """Concertim: a team's compute, volume and network quotas (GET
    /api/v1/clouds/{id}/teams/{team_id}/quotas)

     ``cloud_env`` in the body is optional here: Concertim's UI sends none (its service used its own
        admin credentials), and then the tenant's registered OpenStack cloud answers (there must be
    one).

    Args:
        project_id (str):
        body (OptionalCloudEnv | Unset): ``GET /team/{project_id}/quotas``: Concertim's UI sends
            no body (its service used its own admin
            credentials); without ``cloud_env`` the tenant's registered OpenStack cloud answers.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConcertimError | ConcertimTeamQuotasResponse200
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed

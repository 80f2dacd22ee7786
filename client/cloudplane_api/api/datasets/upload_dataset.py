from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dataset import Dataset
from ...models.error_response import ErrorResponse
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: File,
    name: None | str | Unset = UNSET,
    filename: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_name: None | str | Unset
    if isinstance(name, Unset):
        json_name = UNSET
    else:
        json_name = name
    params["name"] = json_name

    json_filename: None | str | Unset
    if isinstance(filename, Unset):
        json_filename = UNSET
    else:
        json_filename = filename
    params["filename"] = json_filename

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/datasets",
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/octet-stream"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Dataset | ErrorResponse | None:
    if response.status_code == 201:
        response_201 = Dataset.from_dict(response.json())

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
) -> Response[Dataset | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: File,
    name: None | str | Unset = UNSET,
    filename: None | str | Unset = UNSET,
) -> Response[Dataset | ErrorResponse]:
    """Upload a dataset (the request body is the CSV or JSON Lines file)

     Send the file as the body with Content-Type text/csv or application/x-ndjson (or a generic type
        and ``?filename=`` ending in .csv, .jsonl or .ndjson). Rows need ``response`` and ``expected``
        columns. The request body limit (CLOUDPLANE_MAX_BODY_BYTES) applies before the dataset limit.

    Args:
        name (None | str | Unset): Defaults to the filename.
        filename (None | str | Unset): Original file name.
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Dataset | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        name=name,
        filename=filename,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: File,
    name: None | str | Unset = UNSET,
    filename: None | str | Unset = UNSET,
) -> Dataset | ErrorResponse | None:
    """Upload a dataset (the request body is the CSV or JSON Lines file)

     Send the file as the body with Content-Type text/csv or application/x-ndjson (or a generic type
        and ``?filename=`` ending in .csv, .jsonl or .ndjson). Rows need ``response`` and ``expected``
        columns. The request body limit (CLOUDPLANE_MAX_BODY_BYTES) applies before the dataset limit.

    Args:
        name (None | str | Unset): Defaults to the filename.
        filename (None | str | Unset): Original file name.
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Dataset | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        name=name,
        filename=filename,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: File,
    name: None | str | Unset = UNSET,
    filename: None | str | Unset = UNSET,
) -> Response[Dataset | ErrorResponse]:
    """Upload a dataset (the request body is the CSV or JSON Lines file)

     Send the file as the body with Content-Type text/csv or application/x-ndjson (or a generic type
        and ``?filename=`` ending in .csv, .jsonl or .ndjson). Rows need ``response`` and ``expected``
        columns. The request body limit (CLOUDPLANE_MAX_BODY_BYTES) applies before the dataset limit.

    Args:
        name (None | str | Unset): Defaults to the filename.
        filename (None | str | Unset): Original file name.
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Dataset | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        name=name,
        filename=filename,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: File,
    name: None | str | Unset = UNSET,
    filename: None | str | Unset = UNSET,
) -> Dataset | ErrorResponse | None:
    """Upload a dataset (the request body is the CSV or JSON Lines file)

     Send the file as the body with Content-Type text/csv or application/x-ndjson (or a generic type
        and ``?filename=`` ending in .csv, .jsonl or .ndjson). Rows need ``response`` and ``expected``
        columns. The request body limit (CLOUDPLANE_MAX_BODY_BYTES) applies before the dataset limit.

    Args:
        name (None | str | Unset): Defaults to the filename.
        filename (None | str | Unset): Original file name.
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Dataset | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            name=name,
            filename=filename,
        )
    ).parsed

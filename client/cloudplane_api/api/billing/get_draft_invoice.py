from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_draft_invoice_format import GetDraftInvoiceFormat
from ...models.invoice import Invoice
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: str,
    *,
    format_: GetDraftInvoiceFormat | Unset = GetDraftInvoiceFormat.JSON,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/billing/accounts/{account_id}/invoices/draft".format(
            account_id=quote(str(account_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | Invoice | None:
    if response.status_code == 200:
        response_200 = Invoice.from_dict(response.json())

        return response_200

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
) -> Response[ErrorResponse | Invoice]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    format_: GetDraftInvoiceFormat | Unset = GetDraftInvoiceFormat.JSON,
) -> Response[ErrorResponse | Invoice]:
    """The running period's draft invoice

     Recomputed on every call from the usage and orders recorded so far; never stored.

        This route is matched before ``invoices/{invoice_id}``, so it answers ``?format=pdf`` too.

    Args:
        account_id (str):
        format_ (GetDraftInvoiceFormat | Unset):  Default: GetDraftInvoiceFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Invoice]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: str,
    *,
    client: AuthenticatedClient,
    format_: GetDraftInvoiceFormat | Unset = GetDraftInvoiceFormat.JSON,
) -> ErrorResponse | Invoice | None:
    """The running period's draft invoice

     Recomputed on every call from the usage and orders recorded so far; never stored.

        This route is matched before ``invoices/{invoice_id}``, so it answers ``?format=pdf`` too.

    Args:
        account_id (str):
        format_ (GetDraftInvoiceFormat | Unset):  Default: GetDraftInvoiceFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Invoice
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    format_: GetDraftInvoiceFormat | Unset = GetDraftInvoiceFormat.JSON,
) -> Response[ErrorResponse | Invoice]:
    """The running period's draft invoice

     Recomputed on every call from the usage and orders recorded so far; never stored.

        This route is matched before ``invoices/{invoice_id}``, so it answers ``?format=pdf`` too.

    Args:
        account_id (str):
        format_ (GetDraftInvoiceFormat | Unset):  Default: GetDraftInvoiceFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Invoice]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient,
    format_: GetDraftInvoiceFormat | Unset = GetDraftInvoiceFormat.JSON,
) -> ErrorResponse | Invoice | None:
    """The running period's draft invoice

     Recomputed on every call from the usage and orders recorded so far; never stored.

        This route is matched before ``invoices/{invoice_id}``, so it answers ``?format=pdf`` too.

    Args:
        account_id (str):
        format_ (GetDraftInvoiceFormat | Unset):  Default: GetDraftInvoiceFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Invoice
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            format_=format_,
        )
    ).parsed

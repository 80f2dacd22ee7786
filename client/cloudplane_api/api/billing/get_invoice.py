from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_invoice_format import GetInvoiceFormat
from ...models.invoice import Invoice
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: str,
    invoice_id: str,
    *,
    format_: GetInvoiceFormat | Unset = GetInvoiceFormat.JSON,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/billing/accounts/{account_id}/invoices/{invoice_id}".format(
            account_id=quote(str(account_id), safe=""),
            invoice_id=quote(str(invoice_id), safe=""),
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
    invoice_id: str,
    *,
    client: AuthenticatedClient,
    format_: GetInvoiceFormat | Unset = GetInvoiceFormat.JSON,
) -> Response[ErrorResponse | Invoice]:
    """Get an invoice (JSON or PDF)

     ``?format=pdf`` answers the invoice as a PDF to send to the customer.

    Args:
        account_id (str):
        invoice_id (str):
        format_ (GetInvoiceFormat | Unset):  Default: GetInvoiceFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Invoice]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        invoice_id=invoice_id,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: str,
    invoice_id: str,
    *,
    client: AuthenticatedClient,
    format_: GetInvoiceFormat | Unset = GetInvoiceFormat.JSON,
) -> ErrorResponse | Invoice | None:
    """Get an invoice (JSON or PDF)

     ``?format=pdf`` answers the invoice as a PDF to send to the customer.

    Args:
        account_id (str):
        invoice_id (str):
        format_ (GetInvoiceFormat | Unset):  Default: GetInvoiceFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Invoice
    """

    return sync_detailed(
        account_id=account_id,
        invoice_id=invoice_id,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    invoice_id: str,
    *,
    client: AuthenticatedClient,
    format_: GetInvoiceFormat | Unset = GetInvoiceFormat.JSON,
) -> Response[ErrorResponse | Invoice]:
    """Get an invoice (JSON or PDF)

     ``?format=pdf`` answers the invoice as a PDF to send to the customer.

    Args:
        account_id (str):
        invoice_id (str):
        format_ (GetInvoiceFormat | Unset):  Default: GetInvoiceFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | Invoice]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        invoice_id=invoice_id,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    invoice_id: str,
    *,
    client: AuthenticatedClient,
    format_: GetInvoiceFormat | Unset = GetInvoiceFormat.JSON,
) -> ErrorResponse | Invoice | None:
    """Get an invoice (JSON or PDF)

     ``?format=pdf`` answers the invoice as a PDF to send to the customer.

    Args:
        account_id (str):
        invoice_id (str):
        format_ (GetInvoiceFormat | Unset):  Default: GetInvoiceFormat.JSON.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | Invoice
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            invoice_id=invoice_id,
            client=client,
            format_=format_,
        )
    ).parsed

from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_delivery import WebhookDelivery
from ...models.webhooks_deliveries_redeliver_xapi_version import WebhooksDeliveriesRedeliverXAPIVersion
from ...types import UNSET, Response, Unset


def _get_kwargs(
    webhook_id: str,
    delivery_id: str,
    *,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksDeliveriesRedeliverXAPIVersion | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_org_id, Unset):
        headers["X-Org-Id"] = x_org_id

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = str(x_api_version)

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver".format(
            webhook_id=quote(str(webhook_id), safe=""),
            delivery_id=quote(str(delivery_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookDelivery | None:
    if response.status_code == 202:
        response_202 = WebhookDelivery.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WebhookDelivery]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook_id: str,
    delivery_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksDeliveriesRedeliverXAPIVersion | Unset = UNSET,
) -> Response[Problem | WebhookDelivery]:
    """Deliver again: a new `deliver_webhook` job for the same event, whose
    attempts join the delivery's log. 409 `delivery_pending` while its job
    may still attempt it.

    Args:
        webhook_id (str):
        delivery_id (str):
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (WebhooksDeliveriesRedeliverXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookDelivery]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        delivery_id=delivery_id,
        idempotency_key=idempotency_key,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    webhook_id: str,
    delivery_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksDeliveriesRedeliverXAPIVersion | Unset = UNSET,
) -> Problem | WebhookDelivery | None:
    """Deliver again: a new `deliver_webhook` job for the same event, whose
    attempts join the delivery's log. 409 `delivery_pending` while its job
    may still attempt it.

    Args:
        webhook_id (str):
        delivery_id (str):
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (WebhooksDeliveriesRedeliverXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookDelivery
    """

    return sync_detailed(
        webhook_id=webhook_id,
        delivery_id=delivery_id,
        client=client,
        idempotency_key=idempotency_key,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    webhook_id: str,
    delivery_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksDeliveriesRedeliverXAPIVersion | Unset = UNSET,
) -> Response[Problem | WebhookDelivery]:
    """Deliver again: a new `deliver_webhook` job for the same event, whose
    attempts join the delivery's log. 409 `delivery_pending` while its job
    may still attempt it.

    Args:
        webhook_id (str):
        delivery_id (str):
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (WebhooksDeliveriesRedeliverXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookDelivery]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        delivery_id=delivery_id,
        idempotency_key=idempotency_key,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook_id: str,
    delivery_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksDeliveriesRedeliverXAPIVersion | Unset = UNSET,
) -> Problem | WebhookDelivery | None:
    """Deliver again: a new `deliver_webhook` job for the same event, whose
    attempts join the delivery's log. 409 `delivery_pending` while its job
    may still attempt it.

    Args:
        webhook_id (str):
        delivery_id (str):
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (WebhooksDeliveriesRedeliverXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookDelivery
    """

    return (
        await asyncio_detailed(
            webhook_id=webhook_id,
            delivery_id=delivery_id,
            client=client,
            idempotency_key=idempotency_key,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

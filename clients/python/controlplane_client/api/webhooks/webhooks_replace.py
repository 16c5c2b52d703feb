from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.update_webhook import UpdateWebhook
from ...models.webhook import Webhook
from ...models.webhooks_replace_xapi_version import WebhooksReplaceXAPIVersion
from ...types import UNSET, Response, Unset


def _get_kwargs(
    webhook_id: str,
    *,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksReplaceXAPIVersion | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(x_org_id, Unset):
        headers["X-Org-Id"] = x_org_id

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = str(x_api_version)

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/webhooks/{webhook_id}".format(
            webhook_id=quote(str(webhook_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Webhook | None:
    if response.status_code == 200:
        response_200 = Webhook.from_dict(response.json())

        return response_200

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Webhook]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksReplaceXAPIVersion | Unset = UNSET,
) -> Response[Problem | Webhook]:
    """Update a webhook. Honours `If-Match`.

     **Deprecated**; served until Wed, 30 Jun 2027 00:00:00 GMT. Use instead: `PATCH` on the same path:
    it takes the same body. These `PUT`s change only the fields given, which is what PATCH means; a PUT
    would replace the whole resource.

    Args:
        webhook_id (str):
        if_match (str | Unset):
        x_org_id (str | Unset):
        x_api_version (WebhooksReplaceXAPIVersion | Unset):
        body (UpdateWebhook): Fields to change; absent fields keep their value.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Webhook]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        body=body,
        if_match=if_match,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksReplaceXAPIVersion | Unset = UNSET,
) -> Problem | Webhook | None:
    """Update a webhook. Honours `If-Match`.

     **Deprecated**; served until Wed, 30 Jun 2027 00:00:00 GMT. Use instead: `PATCH` on the same path:
    it takes the same body. These `PUT`s change only the fields given, which is what PATCH means; a PUT
    would replace the whole resource.

    Args:
        webhook_id (str):
        if_match (str | Unset):
        x_org_id (str | Unset):
        x_api_version (WebhooksReplaceXAPIVersion | Unset):
        body (UpdateWebhook): Fields to change; absent fields keep their value.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Webhook
    """

    return sync_detailed(
        webhook_id=webhook_id,
        client=client,
        body=body,
        if_match=if_match,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksReplaceXAPIVersion | Unset = UNSET,
) -> Response[Problem | Webhook]:
    """Update a webhook. Honours `If-Match`.

     **Deprecated**; served until Wed, 30 Jun 2027 00:00:00 GMT. Use instead: `PATCH` on the same path:
    it takes the same body. These `PUT`s change only the fields given, which is what PATCH means; a PUT
    would replace the whole resource.

    Args:
        webhook_id (str):
        if_match (str | Unset):
        x_org_id (str | Unset):
        x_api_version (WebhooksReplaceXAPIVersion | Unset):
        body (UpdateWebhook): Fields to change; absent fields keep their value.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Webhook]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        body=body,
        if_match=if_match,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body: UpdateWebhook,
    if_match: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: WebhooksReplaceXAPIVersion | Unset = UNSET,
) -> Problem | Webhook | None:
    """Update a webhook. Honours `If-Match`.

     **Deprecated**; served until Wed, 30 Jun 2027 00:00:00 GMT. Use instead: `PATCH` on the same path:
    it takes the same body. These `PUT`s change only the fields given, which is what PATCH means; a PUT
    would replace the whole resource.

    Args:
        webhook_id (str):
        if_match (str | Unset):
        x_org_id (str | Unset):
        x_api_version (WebhooksReplaceXAPIVersion | Unset):
        body (UpdateWebhook): Fields to change; absent fields keep their value.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Webhook
    """

    return (
        await asyncio_detailed(
            webhook_id=webhook_id,
            client=client,
            body=body,
            if_match=if_match,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

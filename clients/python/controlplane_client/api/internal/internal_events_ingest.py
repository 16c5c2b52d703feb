from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ingest_event import IngestEvent
from ...models.ingested import Ingested
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: IngestEvent,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/internal/events",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Ingested | Problem | None:
    if response.status_code == 202:
        response_202 = Ingested.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Ingested | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IngestEvent,
    idempotency_key: str | Unset = UNSET,
) -> Response[Ingested | Problem]:
    """The data plane reports an event about a project; it is audited in the
    project's org and published (EventBridge and webhooks) like any other.

    Args:
        idempotency_key (str | Unset):
        body (IngestEvent):  Example: {'data': {'content_type': 'image/png', 'path':
            'uploads/a.png', 'size': 1024}, 'event_key': 'upload-7f3a', 'project_id':
            'prj_01jh3v5d2k8q9w6x7y8z9a0b1c', 'type': 'file.uploaded'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Ingested | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: IngestEvent,
    idempotency_key: str | Unset = UNSET,
) -> Ingested | Problem | None:
    """The data plane reports an event about a project; it is audited in the
    project's org and published (EventBridge and webhooks) like any other.

    Args:
        idempotency_key (str | Unset):
        body (IngestEvent):  Example: {'data': {'content_type': 'image/png', 'path':
            'uploads/a.png', 'size': 1024}, 'event_key': 'upload-7f3a', 'project_id':
            'prj_01jh3v5d2k8q9w6x7y8z9a0b1c', 'type': 'file.uploaded'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Ingested | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: IngestEvent,
    idempotency_key: str | Unset = UNSET,
) -> Response[Ingested | Problem]:
    """The data plane reports an event about a project; it is audited in the
    project's org and published (EventBridge and webhooks) like any other.

    Args:
        idempotency_key (str | Unset):
        body (IngestEvent):  Example: {'data': {'content_type': 'image/png', 'path':
            'uploads/a.png', 'size': 1024}, 'event_key': 'upload-7f3a', 'project_id':
            'prj_01jh3v5d2k8q9w6x7y8z9a0b1c', 'type': 'file.uploaded'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Ingested | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: IngestEvent,
    idempotency_key: str | Unset = UNSET,
) -> Ingested | Problem | None:
    """The data plane reports an event about a project; it is audited in the
    project's org and published (EventBridge and webhooks) like any other.

    Args:
        idempotency_key (str | Unset):
        body (IngestEvent):  Example: {'data': {'content_type': 'image/png', 'path':
            'uploads/a.png', 'size': 1024}, 'event_key': 'upload-7f3a', 'project_id':
            'prj_01jh3v5d2k8q9w6x7y8z9a0b1c', 'type': 'file.uploaded'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Ingested | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed

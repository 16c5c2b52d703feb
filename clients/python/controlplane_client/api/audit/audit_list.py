import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_list_xapi_version import AuditListXAPIVersion
from ...models.list_response_audit_event import ListResponseAuditEvent
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    action: str | Unset = UNSET,
    target_type: str | Unset = UNSET,
    target_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    format_: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: AuditListXAPIVersion | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_id, Unset):
        headers["X-Org-Id"] = x_org_id

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = str(x_api_version)

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["actor_id"] = actor_id

    params["action"] = action

    params["target_type"] = target_type

    params["target_id"] = target_id

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["format"] = format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListResponseAuditEvent | Problem | None:
    if response.status_code == 200:
        response_200 = ListResponseAuditEvent.from_dict(response.json())

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
) -> Response[ListResponseAuditEvent | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    action: str | Unset = UNSET,
    target_type: str | Unset = UNSET,
    target_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    format_: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: AuditListXAPIVersion | Unset = UNSET,
) -> Response[ListResponseAuditEvent | Problem]:
    """The organization's audit events, newest first (admins and owners; an API
    key with `audit:read` sees its project's). Every filter is served by an
    index; combine them freely.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        actor_id (str | Unset):
        action (str | Unset):
        target_type (str | Unset):
        target_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        format_ (str | Unset):
        x_org_id (str | Unset):
        x_api_version (AuditListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseAuditEvent | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        from_=from_,
        to=to,
        format_=format_,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    action: str | Unset = UNSET,
    target_type: str | Unset = UNSET,
    target_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    format_: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: AuditListXAPIVersion | Unset = UNSET,
) -> ListResponseAuditEvent | Problem | None:
    """The organization's audit events, newest first (admins and owners; an API
    key with `audit:read` sees its project's). Every filter is served by an
    index; combine them freely.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        actor_id (str | Unset):
        action (str | Unset):
        target_type (str | Unset):
        target_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        format_ (str | Unset):
        x_org_id (str | Unset):
        x_api_version (AuditListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseAuditEvent | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        from_=from_,
        to=to,
        format_=format_,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    action: str | Unset = UNSET,
    target_type: str | Unset = UNSET,
    target_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    format_: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: AuditListXAPIVersion | Unset = UNSET,
) -> Response[ListResponseAuditEvent | Problem]:
    """The organization's audit events, newest first (admins and owners; an API
    key with `audit:read` sees its project's). Every filter is served by an
    index; combine them freely.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        actor_id (str | Unset):
        action (str | Unset):
        target_type (str | Unset):
        target_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        format_ (str | Unset):
        x_org_id (str | Unset):
        x_api_version (AuditListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseAuditEvent | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        from_=from_,
        to=to,
        format_=format_,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    actor_id: str | Unset = UNSET,
    action: str | Unset = UNSET,
    target_type: str | Unset = UNSET,
    target_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    format_: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: AuditListXAPIVersion | Unset = UNSET,
) -> ListResponseAuditEvent | Problem | None:
    """The organization's audit events, newest first (admins and owners; an API
    key with `audit:read` sees its project's). Every filter is served by an
    index; combine them freely.

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        actor_id (str | Unset):
        action (str | Unset):
        target_type (str | Unset):
        target_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        format_ (str | Unset):
        x_org_id (str | Unset):
        x_api_version (AuditListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseAuditEvent | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            from_=from_,
            to=to,
            format_=format_,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.credentials_list_xapi_version import CredentialsListXAPIVersion
from ...models.list_response_credential_ref import ListResponseCredentialRef
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: CredentialsListXAPIVersion | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_id, Unset):
        headers["X-Org-Id"] = x_org_id

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = str(x_api_version)

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/credentials",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListResponseCredentialRef | Problem | None:
    if response.status_code == 200:
        response_200 = ListResponseCredentialRef.from_dict(response.json())

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
) -> Response[ListResponseCredentialRef | Problem]:
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
    x_org_id: str | Unset = UNSET,
    x_api_version: CredentialsListXAPIVersion | Unset = UNSET,
) -> Response[ListResponseCredentialRef | Problem]:
    """List the organization's credentials (metadata only).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (CredentialsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseCredentialRef | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
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
    x_org_id: str | Unset = UNSET,
    x_api_version: CredentialsListXAPIVersion | Unset = UNSET,
) -> ListResponseCredentialRef | Problem | None:
    """List the organization's credentials (metadata only).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (CredentialsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseCredentialRef | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: CredentialsListXAPIVersion | Unset = UNSET,
) -> Response[ListResponseCredentialRef | Problem]:
    """List the organization's credentials (metadata only).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (CredentialsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseCredentialRef | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
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
    x_org_id: str | Unset = UNSET,
    x_api_version: CredentialsListXAPIVersion | Unset = UNSET,
) -> ListResponseCredentialRef | Problem | None:
    """List the organization's credentials (metadata only).

    Args:
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (CredentialsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseCredentialRef | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

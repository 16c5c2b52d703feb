from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.access_token import AccessToken
from ...models.exchange import Exchange
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: Exchange,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/auth/token",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccessToken | Problem | None:
    if response.status_code == 200:
        response_200 = AccessToken.from_dict(response.json())

        return response_200

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AccessToken | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Exchange,
    idempotency_key: str | Unset = UNSET,
) -> Response[AccessToken | Problem]:
    """Development only (`CONTROLPLANE_DEV_AUTH`): exchange a refresh token
    (`cargo run -- token --refresh`) for a 15-minute access token.

    Args:
        idempotency_key (str | Unset):
        body (Exchange):  Example: {'grant_type': 'refresh_token', 'refresh_token':
            'eyJhbGciOiJIUzI1NiJ9.…'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessToken | Problem]
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
    body: Exchange,
    idempotency_key: str | Unset = UNSET,
) -> AccessToken | Problem | None:
    """Development only (`CONTROLPLANE_DEV_AUTH`): exchange a refresh token
    (`cargo run -- token --refresh`) for a 15-minute access token.

    Args:
        idempotency_key (str | Unset):
        body (Exchange):  Example: {'grant_type': 'refresh_token', 'refresh_token':
            'eyJhbGciOiJIUzI1NiJ9.…'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessToken | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Exchange,
    idempotency_key: str | Unset = UNSET,
) -> Response[AccessToken | Problem]:
    """Development only (`CONTROLPLANE_DEV_AUTH`): exchange a refresh token
    (`cargo run -- token --refresh`) for a 15-minute access token.

    Args:
        idempotency_key (str | Unset):
        body (Exchange):  Example: {'grant_type': 'refresh_token', 'refresh_token':
            'eyJhbGciOiJIUzI1NiJ9.…'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccessToken | Problem]
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
    body: Exchange,
    idempotency_key: str | Unset = UNSET,
) -> AccessToken | Problem | None:
    """Development only (`CONTROLPLANE_DEV_AUTH`): exchange a refresh token
    (`cargo run -- token --refresh`) for a 15-minute access token.

    Args:
        idempotency_key (str | Unset):
        body (Exchange):  Example: {'grant_type': 'refresh_token', 'refresh_token':
            'eyJhbGciOiJIUzI1NiJ9.…'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccessToken | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed

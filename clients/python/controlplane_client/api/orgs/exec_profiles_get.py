from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.exec_profile_view import ExecProfileView
from ...models.exec_profiles_get_xapi_version import ExecProfilesGetXAPIVersion
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    target: str,
    *,
    x_org_id: str | Unset = UNSET,
    x_api_version: ExecProfilesGetXAPIVersion | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_id, Unset):
        headers["X-Org-Id"] = x_org_id

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = str(x_api_version)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/exec-profiles/{target}".format(
            target=quote(str(target), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ExecProfileView | Problem | None:
    if response.status_code == 200:
        response_200 = ExecProfileView.from_dict(response.json())

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
) -> Response[ExecProfileView | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    target: str,
    *,
    client: AuthenticatedClient,
    x_org_id: str | Unset = UNSET,
    x_api_version: ExecProfilesGetXAPIVersion | Unset = UNSET,
) -> Response[ExecProfileView | Problem]:
    """The execution profile in force for a target: the org's own, else the
    server-wide one (`<server>__*`) for a server's tool, else the one the
    platform ships (built-in tools and source kinds). A server's tool with
    none is 404 — and may do nothing. The `ETag` is the version of the
    target's own profile (0: none set).

    Args:
        target (str):
        x_org_id (str | Unset):
        x_api_version (ExecProfilesGetXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExecProfileView | Problem]
    """

    kwargs = _get_kwargs(
        target=target,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    target: str,
    *,
    client: AuthenticatedClient,
    x_org_id: str | Unset = UNSET,
    x_api_version: ExecProfilesGetXAPIVersion | Unset = UNSET,
) -> ExecProfileView | Problem | None:
    """The execution profile in force for a target: the org's own, else the
    server-wide one (`<server>__*`) for a server's tool, else the one the
    platform ships (built-in tools and source kinds). A server's tool with
    none is 404 — and may do nothing. The `ETag` is the version of the
    target's own profile (0: none set).

    Args:
        target (str):
        x_org_id (str | Unset):
        x_api_version (ExecProfilesGetXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExecProfileView | Problem
    """

    return sync_detailed(
        target=target,
        client=client,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    target: str,
    *,
    client: AuthenticatedClient,
    x_org_id: str | Unset = UNSET,
    x_api_version: ExecProfilesGetXAPIVersion | Unset = UNSET,
) -> Response[ExecProfileView | Problem]:
    """The execution profile in force for a target: the org's own, else the
    server-wide one (`<server>__*`) for a server's tool, else the one the
    platform ships (built-in tools and source kinds). A server's tool with
    none is 404 — and may do nothing. The `ETag` is the version of the
    target's own profile (0: none set).

    Args:
        target (str):
        x_org_id (str | Unset):
        x_api_version (ExecProfilesGetXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ExecProfileView | Problem]
    """

    kwargs = _get_kwargs(
        target=target,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    target: str,
    *,
    client: AuthenticatedClient,
    x_org_id: str | Unset = UNSET,
    x_api_version: ExecProfilesGetXAPIVersion | Unset = UNSET,
) -> ExecProfileView | Problem | None:
    """The execution profile in force for a target: the org's own, else the
    server-wide one (`<server>__*`) for a server's tool, else the one the
    platform ships (built-in tools and source kinds). A server's tool with
    none is 404 — and may do nothing. The `ETag` is the version of the
    target's own profile (0: none set).

    Args:
        target (str):
        x_org_id (str | Unset):
        x_api_version (ExecProfilesGetXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ExecProfileView | Problem
    """

    return (
        await asyncio_detailed(
            target=target,
            client=client,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

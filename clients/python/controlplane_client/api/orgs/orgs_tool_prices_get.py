from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.orgs_tool_prices_get_xapi_version import OrgsToolPricesGetXAPIVersion
from ...models.problem import Problem
from ...models.tool_prices_view import ToolPricesView
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: str,
    *,
    x_org_id: str | Unset = UNSET,
    x_api_version: OrgsToolPricesGetXAPIVersion | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_id, Unset):
        headers["X-Org-Id"] = x_org_id

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = str(x_api_version)

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/orgs/{org_id}/tool-prices".format(
            org_id=quote(str(org_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ToolPricesView | None:
    if response.status_code == 200:
        response_200 = ToolPricesView.from_dict(response.json())

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
) -> Response[Problem | ToolPricesView]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org_id: str,
    *,
    client: AuthenticatedClient,
    x_org_id: str | Unset = UNSET,
    x_api_version: OrgsToolPricesGetXAPIVersion | Unset = UNSET,
) -> Response[Problem | ToolPricesView]:
    """The organization's tool price table: what one call of a tool costs
    beyond the MCP gateway's fee, by tool name or `slug.*`. Plan estimates
    price a tool step from it when the step names no price.

    Args:
        org_id (str):
        x_org_id (str | Unset):
        x_api_version (OrgsToolPricesGetXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ToolPricesView]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: str,
    *,
    client: AuthenticatedClient,
    x_org_id: str | Unset = UNSET,
    x_api_version: OrgsToolPricesGetXAPIVersion | Unset = UNSET,
) -> Problem | ToolPricesView | None:
    """The organization's tool price table: what one call of a tool costs
    beyond the MCP gateway's fee, by tool name or `slug.*`. Plan estimates
    price a tool step from it when the step names no price.

    Args:
        org_id (str):
        x_org_id (str | Unset):
        x_api_version (OrgsToolPricesGetXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ToolPricesView
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    org_id: str,
    *,
    client: AuthenticatedClient,
    x_org_id: str | Unset = UNSET,
    x_api_version: OrgsToolPricesGetXAPIVersion | Unset = UNSET,
) -> Response[Problem | ToolPricesView]:
    """The organization's tool price table: what one call of a tool costs
    beyond the MCP gateway's fee, by tool name or `slug.*`. Plan estimates
    price a tool step from it when the step names no price.

    Args:
        org_id (str):
        x_org_id (str | Unset):
        x_api_version (OrgsToolPricesGetXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ToolPricesView]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: str,
    *,
    client: AuthenticatedClient,
    x_org_id: str | Unset = UNSET,
    x_api_version: OrgsToolPricesGetXAPIVersion | Unset = UNSET,
) -> Problem | ToolPricesView | None:
    """The organization's tool price table: what one call of a tool costs
    beyond the MCP gateway's fee, by tool name or `slug.*`. Plan estimates
    price a tool step from it when the step names no price.

    Args:
        org_id (str):
        x_org_id (str | Unset):
        x_api_version (OrgsToolPricesGetXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ToolPricesView
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

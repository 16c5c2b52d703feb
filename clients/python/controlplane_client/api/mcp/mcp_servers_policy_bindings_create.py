from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_policy_binding import CallPolicyBinding
from ...models.create_call_binding import CreateCallBinding
from ...models.mcp_servers_policy_bindings_create_xapi_version import McpServersPolicyBindingsCreateXAPIVersion
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    mcp_server_id: str,
    *,
    body: CreateCallBinding,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: McpServersPolicyBindingsCreateXAPIVersion | Unset = UNSET,
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
        "url": "/v1/mcp-servers/{mcp_server_id}/policy-bindings".format(
            mcp_server_id=quote(str(mcp_server_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallPolicyBinding | Problem | None:
    if response.status_code == 201:
        response_201 = CallPolicyBinding.from_dict(response.json())

        return response_201

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
) -> Response[CallPolicyBinding | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    mcp_server_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateCallBinding,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: McpServersPolicyBindingsCreateXAPIVersion | Unset = UNSET,
) -> Response[CallPolicyBinding | Problem]:
    """Bind a policy to an MCP server or one of its tools: `deny` (never
    callable, not listed), `audit` (calls flagged in their audit event),
    `enforce` (a call its rules catch is blocked: a tool error naming the
    policy, audited as `mcp.call_blocked`). 409 `binding_exists` if the
    policy is already bound to that target.

    Args:
        mcp_server_id (str):
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (McpServersPolicyBindingsCreateXAPIVersion | Unset):
        body (CreateCallBinding):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallPolicyBinding | Problem]
    """

    kwargs = _get_kwargs(
        mcp_server_id=mcp_server_id,
        body=body,
        idempotency_key=idempotency_key,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    mcp_server_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateCallBinding,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: McpServersPolicyBindingsCreateXAPIVersion | Unset = UNSET,
) -> CallPolicyBinding | Problem | None:
    """Bind a policy to an MCP server or one of its tools: `deny` (never
    callable, not listed), `audit` (calls flagged in their audit event),
    `enforce` (a call its rules catch is blocked: a tool error naming the
    policy, audited as `mcp.call_blocked`). 409 `binding_exists` if the
    policy is already bound to that target.

    Args:
        mcp_server_id (str):
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (McpServersPolicyBindingsCreateXAPIVersion | Unset):
        body (CreateCallBinding):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallPolicyBinding | Problem
    """

    return sync_detailed(
        mcp_server_id=mcp_server_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    mcp_server_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateCallBinding,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: McpServersPolicyBindingsCreateXAPIVersion | Unset = UNSET,
) -> Response[CallPolicyBinding | Problem]:
    """Bind a policy to an MCP server or one of its tools: `deny` (never
    callable, not listed), `audit` (calls flagged in their audit event),
    `enforce` (a call its rules catch is blocked: a tool error naming the
    policy, audited as `mcp.call_blocked`). 409 `binding_exists` if the
    policy is already bound to that target.

    Args:
        mcp_server_id (str):
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (McpServersPolicyBindingsCreateXAPIVersion | Unset):
        body (CreateCallBinding):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallPolicyBinding | Problem]
    """

    kwargs = _get_kwargs(
        mcp_server_id=mcp_server_id,
        body=body,
        idempotency_key=idempotency_key,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    mcp_server_id: str,
    *,
    client: AuthenticatedClient,
    body: CreateCallBinding,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: McpServersPolicyBindingsCreateXAPIVersion | Unset = UNSET,
) -> CallPolicyBinding | Problem | None:
    """Bind a policy to an MCP server or one of its tools: `deny` (never
    callable, not listed), `audit` (calls flagged in their audit event),
    `enforce` (a call its rules catch is blocked: a tool error naming the
    policy, audited as `mcp.call_blocked`). 409 `binding_exists` if the
    policy is already bound to that target.

    Args:
        mcp_server_id (str):
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (McpServersPolicyBindingsCreateXAPIVersion | Unset):
        body (CreateCallBinding):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallPolicyBinding | Problem
    """

    return (
        await asyncio_detailed(
            mcp_server_id=mcp_server_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_response_project import ListResponseProject
from ...models.problem import Problem
from ...models.project_status import ProjectStatus
from ...models.projects_list_xapi_version import ProjectsListXAPIVersion
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ProjectStatus | Unset = UNSET,
    name: str | Unset = UNSET,
    include_deleted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: ProjectsListXAPIVersion | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_id, Unset):
        headers["X-Org-Id"] = x_org_id

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = str(x_api_version)

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["name"] = name

    params["include_deleted"] = include_deleted

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/projects",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListResponseProject | Problem | None:
    if response.status_code == 200:
        response_200 = ListResponseProject.from_dict(response.json())

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
) -> Response[ListResponseProject | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ProjectStatus | Unset = UNSET,
    name: str | Unset = UNSET,
    include_deleted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: ProjectsListXAPIVersion | Unset = UNSET,
) -> Response[ListResponseProject | Problem]:
    """List the organization's projects, oldest first.

    Args:
        status (ProjectStatus | Unset):
        name (str | Unset):
        include_deleted (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (ProjectsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseProject | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        name=name,
        include_deleted=include_deleted,
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
    status: ProjectStatus | Unset = UNSET,
    name: str | Unset = UNSET,
    include_deleted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: ProjectsListXAPIVersion | Unset = UNSET,
) -> ListResponseProject | Problem | None:
    """List the organization's projects, oldest first.

    Args:
        status (ProjectStatus | Unset):
        name (str | Unset):
        include_deleted (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (ProjectsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseProject | Problem
    """

    return sync_detailed(
        client=client,
        status=status,
        name=name,
        include_deleted=include_deleted,
        limit=limit,
        cursor=cursor,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ProjectStatus | Unset = UNSET,
    name: str | Unset = UNSET,
    include_deleted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: ProjectsListXAPIVersion | Unset = UNSET,
) -> Response[ListResponseProject | Problem]:
    """List the organization's projects, oldest first.

    Args:
        status (ProjectStatus | Unset):
        name (str | Unset):
        include_deleted (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (ProjectsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseProject | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        name=name,
        include_deleted=include_deleted,
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
    status: ProjectStatus | Unset = UNSET,
    name: str | Unset = UNSET,
    include_deleted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: ProjectsListXAPIVersion | Unset = UNSET,
) -> ListResponseProject | Problem | None:
    """List the organization's projects, oldest first.

    Args:
        status (ProjectStatus | Unset):
        name (str | Unset):
        include_deleted (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (ProjectsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseProject | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            name=name,
            include_deleted=include_deleted,
            limit=limit,
            cursor=cursor,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.jobs_list_status import JobsListStatus
from ...models.jobs_list_type import JobsListType
from ...models.jobs_list_xapi_version import JobsListXAPIVersion
from ...models.list_response_job import ListResponseJob
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    type_: JobsListType | Unset = UNSET,
    status: JobsListStatus | Unset = UNSET,
    project_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: JobsListXAPIVersion | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_id, Unset):
        headers["X-Org-Id"] = x_org_id

    if not isinstance(x_api_version, Unset):
        headers["X-API-Version"] = str(x_api_version)

    params: dict[str, Any] = {}

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_.value

    params["type"] = json_type_

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["project_id"] = project_id

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ListResponseJob | Problem | None:
    if response.status_code == 200:
        response_200 = ListResponseJob.from_dict(response.json())

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
) -> Response[ListResponseJob | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    type_: JobsListType | Unset = UNSET,
    status: JobsListStatus | Unset = UNSET,
    project_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: JobsListXAPIVersion | Unset = UNSET,
) -> Response[ListResponseJob | Problem]:
    """List the organization's jobs, newest first.

    Args:
        type_ (JobsListType | Unset):
        status (JobsListStatus | Unset):
        project_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (JobsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseJob | Problem]
    """

    kwargs = _get_kwargs(
        type_=type_,
        status=status,
        project_id=project_id,
        from_=from_,
        to=to,
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
    type_: JobsListType | Unset = UNSET,
    status: JobsListStatus | Unset = UNSET,
    project_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: JobsListXAPIVersion | Unset = UNSET,
) -> ListResponseJob | Problem | None:
    """List the organization's jobs, newest first.

    Args:
        type_ (JobsListType | Unset):
        status (JobsListStatus | Unset):
        project_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (JobsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseJob | Problem
    """

    return sync_detailed(
        client=client,
        type_=type_,
        status=status,
        project_id=project_id,
        from_=from_,
        to=to,
        limit=limit,
        cursor=cursor,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    type_: JobsListType | Unset = UNSET,
    status: JobsListStatus | Unset = UNSET,
    project_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: JobsListXAPIVersion | Unset = UNSET,
) -> Response[ListResponseJob | Problem]:
    """List the organization's jobs, newest first.

    Args:
        type_ (JobsListType | Unset):
        status (JobsListStatus | Unset):
        project_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (JobsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ListResponseJob | Problem]
    """

    kwargs = _get_kwargs(
        type_=type_,
        status=status,
        project_id=project_id,
        from_=from_,
        to=to,
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
    type_: JobsListType | Unset = UNSET,
    status: JobsListStatus | Unset = UNSET,
    project_id: str | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: JobsListXAPIVersion | Unset = UNSET,
) -> ListResponseJob | Problem | None:
    """List the organization's jobs, newest first.

    Args:
        type_ (JobsListType | Unset):
        status (JobsListStatus | Unset):
        project_id (str | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        x_org_id (str | Unset):
        x_api_version (JobsListXAPIVersion | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ListResponseJob | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            status=status,
            project_id=project_id,
            from_=from_,
            to=to,
            limit=limit,
            cursor=cursor,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

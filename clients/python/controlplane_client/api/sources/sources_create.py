from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_source import CreateSource
from ...models.problem import Problem
from ...models.source_type_0 import SourceType0
from ...models.source_type_1 import SourceType1
from ...models.source_type_2 import SourceType2
from ...models.source_type_3 import SourceType3
from ...models.source_type_4 import SourceType4
from ...models.source_type_5 import SourceType5
from ...models.source_type_6 import SourceType6
from ...models.source_type_7 import SourceType7
from ...models.source_type_8 import SourceType8
from ...models.source_type_9 import SourceType9
from ...models.source_type_10 import SourceType10
from ...models.source_type_11 import SourceType11
from ...models.source_type_12 import SourceType12
from ...models.source_type_13 import SourceType13
from ...models.sources_create_xapi_version import SourcesCreateXAPIVersion
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateSource,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: SourcesCreateXAPIVersion | Unset = UNSET,
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
        "url": "/v1/sources",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    Problem
    | SourceType0
    | SourceType1
    | SourceType10
    | SourceType11
    | SourceType12
    | SourceType13
    | SourceType2
    | SourceType3
    | SourceType4
    | SourceType5
    | SourceType6
    | SourceType7
    | SourceType8
    | SourceType9
    | None
):
    if response.status_code == 201:

        def _parse_response_201(
            data: object,
        ) -> (
            SourceType0
            | SourceType1
            | SourceType10
            | SourceType11
            | SourceType12
            | SourceType13
            | SourceType2
            | SourceType3
            | SourceType4
            | SourceType5
            | SourceType6
            | SourceType7
            | SourceType8
            | SourceType9
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_0 = SourceType0.from_dict(data)

                return componentsschemas_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_1 = SourceType1.from_dict(data)

                return componentsschemas_source_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_2 = SourceType2.from_dict(data)

                return componentsschemas_source_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_3 = SourceType3.from_dict(data)

                return componentsschemas_source_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_4 = SourceType4.from_dict(data)

                return componentsschemas_source_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_5 = SourceType5.from_dict(data)

                return componentsschemas_source_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_6 = SourceType6.from_dict(data)

                return componentsschemas_source_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_7 = SourceType7.from_dict(data)

                return componentsschemas_source_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_8 = SourceType8.from_dict(data)

                return componentsschemas_source_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_9 = SourceType9.from_dict(data)

                return componentsschemas_source_type_9
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_10 = SourceType10.from_dict(data)

                return componentsschemas_source_type_10
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_11 = SourceType11.from_dict(data)

                return componentsschemas_source_type_11
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_source_type_12 = SourceType12.from_dict(data)

                return componentsschemas_source_type_12
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_source_type_13 = SourceType13.from_dict(data)

            return componentsschemas_source_type_13

        response_201 = _parse_response_201(response.json())

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
) -> Response[
    Problem
    | SourceType0
    | SourceType1
    | SourceType10
    | SourceType11
    | SourceType12
    | SourceType13
    | SourceType2
    | SourceType3
    | SourceType4
    | SourceType5
    | SourceType6
    | SourceType7
    | SourceType8
    | SourceType9
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateSource,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: SourcesCreateXAPIVersion | Unset = UNSET,
) -> Response[
    Problem
    | SourceType0
    | SourceType1
    | SourceType10
    | SourceType11
    | SourceType12
    | SourceType13
    | SourceType2
    | SourceType3
    | SourceType4
    | SourceType5
    | SourceType6
    | SourceType7
    | SourceType8
    | SourceType9
]:
    """Create a source in a project.

    Args:
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (SourcesCreateXAPIVersion | Unset):
        body (CreateSource):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SourceType0 | SourceType1 | SourceType10 | SourceType11 | SourceType12 | SourceType13 | SourceType2 | SourceType3 | SourceType4 | SourceType5 | SourceType6 | SourceType7 | SourceType8 | SourceType9]
    """

    kwargs = _get_kwargs(
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
    *,
    client: AuthenticatedClient,
    body: CreateSource,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: SourcesCreateXAPIVersion | Unset = UNSET,
) -> (
    Problem
    | SourceType0
    | SourceType1
    | SourceType10
    | SourceType11
    | SourceType12
    | SourceType13
    | SourceType2
    | SourceType3
    | SourceType4
    | SourceType5
    | SourceType6
    | SourceType7
    | SourceType8
    | SourceType9
    | None
):
    """Create a source in a project.

    Args:
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (SourcesCreateXAPIVersion | Unset):
        body (CreateSource):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SourceType0 | SourceType1 | SourceType10 | SourceType11 | SourceType12 | SourceType13 | SourceType2 | SourceType3 | SourceType4 | SourceType5 | SourceType6 | SourceType7 | SourceType8 | SourceType9
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateSource,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: SourcesCreateXAPIVersion | Unset = UNSET,
) -> Response[
    Problem
    | SourceType0
    | SourceType1
    | SourceType10
    | SourceType11
    | SourceType12
    | SourceType13
    | SourceType2
    | SourceType3
    | SourceType4
    | SourceType5
    | SourceType6
    | SourceType7
    | SourceType8
    | SourceType9
]:
    """Create a source in a project.

    Args:
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (SourcesCreateXAPIVersion | Unset):
        body (CreateSource):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SourceType0 | SourceType1 | SourceType10 | SourceType11 | SourceType12 | SourceType13 | SourceType2 | SourceType3 | SourceType4 | SourceType5 | SourceType6 | SourceType7 | SourceType8 | SourceType9]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_org_id=x_org_id,
        x_api_version=x_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateSource,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: SourcesCreateXAPIVersion | Unset = UNSET,
) -> (
    Problem
    | SourceType0
    | SourceType1
    | SourceType10
    | SourceType11
    | SourceType12
    | SourceType13
    | SourceType2
    | SourceType3
    | SourceType4
    | SourceType5
    | SourceType6
    | SourceType7
    | SourceType8
    | SourceType9
    | None
):
    """Create a source in a project.

    Args:
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (SourcesCreateXAPIVersion | Unset):
        body (CreateSource):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SourceType0 | SourceType1 | SourceType10 | SourceType11 | SourceType12 | SourceType13 | SourceType2 | SourceType3 | SourceType4 | SourceType5 | SourceType6 | SourceType7 | SourceType8 | SourceType9
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_org_id=x_org_id,
            x_api_version=x_api_version,
        )
    ).parsed

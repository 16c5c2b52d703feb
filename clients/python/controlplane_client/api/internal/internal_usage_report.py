from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.recorded import Recorded
from ...models.usage_report import UsageReport
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: UsageReport,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/internal/usage",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Recorded | None:
    if response.status_code == 200:
        response_200 = Recorded.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Recorded]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UsageReport,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Recorded]:
    """The data plane reports usage: added to the project's hour, day and month
    counters (atomic increments, in one transaction with the mark that
    schedules a limits check). Crossing 80, 90 or 100 % of the monthly
    quota emits `quota.warning` / `quota.exceeded` once per month: here when
    this report's total (the month's count read before it plus `amount`)
    crosses, otherwise by the limits check, which counts reports that
    committed concurrently.
    At least once: a report retried after a lost answer counts twice, so the
    data plane should send accumulated amounts, not one call per unit.

    Args:
        idempotency_key (str | Unset):
        body (UsageReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Recorded]
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
    body: UsageReport,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Recorded | None:
    """The data plane reports usage: added to the project's hour, day and month
    counters (atomic increments, in one transaction with the mark that
    schedules a limits check). Crossing 80, 90 or 100 % of the monthly
    quota emits `quota.warning` / `quota.exceeded` once per month: here when
    this report's total (the month's count read before it plus `amount`)
    crosses, otherwise by the limits check, which counts reports that
    committed concurrently.
    At least once: a report retried after a lost answer counts twice, so the
    data plane should send accumulated amounts, not one call per unit.

    Args:
        idempotency_key (str | Unset):
        body (UsageReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Recorded
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UsageReport,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | Recorded]:
    """The data plane reports usage: added to the project's hour, day and month
    counters (atomic increments, in one transaction with the mark that
    schedules a limits check). Crossing 80, 90 or 100 % of the monthly
    quota emits `quota.warning` / `quota.exceeded` once per month: here when
    this report's total (the month's count read before it plus `amount`)
    crosses, otherwise by the limits check, which counts reports that
    committed concurrently.
    At least once: a report retried after a lost answer counts twice, so the
    data plane should send accumulated amounts, not one call per unit.

    Args:
        idempotency_key (str | Unset):
        body (UsageReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Recorded]
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
    body: UsageReport,
    idempotency_key: str | Unset = UNSET,
) -> Problem | Recorded | None:
    """The data plane reports usage: added to the project's hour, day and month
    counters (atomic increments, in one transaction with the mark that
    schedules a limits check). Crossing 80, 90 or 100 % of the monthly
    quota emits `quota.warning` / `quota.exceeded` once per month: here when
    this report's total (the month's count read before it plus `amount`)
    crosses, otherwise by the limits check, which counts reports that
    committed concurrently.
    At least once: a report retried after a lost answer counts twice, so the
    data plane should send accumulated amounts, not one call per unit.

    Args:
        idempotency_key (str | Unset):
        body (UsageReport):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Recorded
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed

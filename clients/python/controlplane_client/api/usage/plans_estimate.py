from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.estimate_plan import EstimatePlan
from ...models.plan_estimate import PlanEstimate
from ...models.plans_estimate_xapi_version import PlansEstimateXAPIVersion
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EstimatePlan,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: PlansEstimateXAPIVersion | Unset = UNSET,
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
        "url": "/v1/plans/estimate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PlanEstimate | Problem | None:
    if response.status_code == 201:
        response_201 = PlanEstimate.from_dict(response.json())

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
) -> Response[PlanEstimate | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: EstimatePlan,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: PlansEstimateXAPIVersion | Unset = UNSET,
) -> Response[PlanEstimate | Problem]:
    """Estimate a plan's cost: each step's tokens and cost at list prices
    times the project's calibration, the total with a 90 % interval, and how
    it fits the project's budget this month. The estimate is kept (its
    `Location`) for the run's actuals. Each budget threshold the month would
    pass is published once a month as `budget.threshold_crossed`.

    Args:
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (PlansEstimateXAPIVersion | Unset):
        body (EstimatePlan):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PlanEstimate | Problem]
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
    body: EstimatePlan,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: PlansEstimateXAPIVersion | Unset = UNSET,
) -> PlanEstimate | Problem | None:
    """Estimate a plan's cost: each step's tokens and cost at list prices
    times the project's calibration, the total with a 90 % interval, and how
    it fits the project's budget this month. The estimate is kept (its
    `Location`) for the run's actuals. Each budget threshold the month would
    pass is published once a month as `budget.threshold_crossed`.

    Args:
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (PlansEstimateXAPIVersion | Unset):
        body (EstimatePlan):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PlanEstimate | Problem
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
    body: EstimatePlan,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: PlansEstimateXAPIVersion | Unset = UNSET,
) -> Response[PlanEstimate | Problem]:
    """Estimate a plan's cost: each step's tokens and cost at list prices
    times the project's calibration, the total with a 90 % interval, and how
    it fits the project's budget this month. The estimate is kept (its
    `Location`) for the run's actuals. Each budget threshold the month would
    pass is published once a month as `budget.threshold_crossed`.

    Args:
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (PlansEstimateXAPIVersion | Unset):
        body (EstimatePlan):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PlanEstimate | Problem]
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
    body: EstimatePlan,
    idempotency_key: str | Unset = UNSET,
    x_org_id: str | Unset = UNSET,
    x_api_version: PlansEstimateXAPIVersion | Unset = UNSET,
) -> PlanEstimate | Problem | None:
    """Estimate a plan's cost: each step's tokens and cost at list prices
    times the project's calibration, the total with a 90 % interval, and how
    it fits the project's budget this month. The estimate is kept (its
    `Location`) for the run's actuals. Each budget threshold the month would
    pass is published once a month as `budget.threshold_crossed`.

    Args:
        idempotency_key (str | Unset):
        x_org_id (str | Unset):
        x_api_version (PlansEstimateXAPIVersion | Unset):
        body (EstimatePlan):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PlanEstimate | Problem
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

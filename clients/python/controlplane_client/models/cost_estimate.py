from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.budget_warning import BudgetWarning
    from ..models.service_cost import ServiceCost


T = TypeVar("T", bound="CostEstimate")


@_attrs_define
class CostEstimate:
    """Month-to-date cost and the month's projection.

    Attributes:
        month_to_date_cents (int):
        period (str): `YYYY-MM` (UTC).
        project_id (str):
        projected_cents (int): Month-to-date extrapolated linearly to the month's end.
        services (list[ServiceCost]):
        warnings (list[BudgetWarning]): Budget thresholds the projection passes, e.g. `[50, 80]`.
        budget_cents (int | None | Unset):
    """

    month_to_date_cents: int
    period: str
    project_id: str
    projected_cents: int
    services: list[ServiceCost]
    warnings: list[BudgetWarning]
    budget_cents: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        month_to_date_cents = self.month_to_date_cents

        period = self.period

        project_id = self.project_id

        projected_cents = self.projected_cents

        services = []
        for services_item_data in self.services:
            services_item = services_item_data.to_dict()
            services.append(services_item)

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        budget_cents: int | None | Unset
        if isinstance(self.budget_cents, Unset):
            budget_cents = UNSET
        else:
            budget_cents = self.budget_cents

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "month_to_date_cents": month_to_date_cents,
                "period": period,
                "project_id": project_id,
                "projected_cents": projected_cents,
                "services": services,
                "warnings": warnings,
            }
        )
        if budget_cents is not UNSET:
            field_dict["budget_cents"] = budget_cents

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_warning import BudgetWarning  # noqa: PLC0415
        from ..models.service_cost import ServiceCost  # noqa: PLC0415

        d = dict(src_dict)
        month_to_date_cents = d.pop("month_to_date_cents")

        period = d.pop("period")

        project_id = d.pop("project_id")

        projected_cents = d.pop("projected_cents")

        services = []
        _services = d.pop("services")
        for services_item_data in _services:
            services_item = ServiceCost.from_dict(services_item_data)

            services.append(services_item)

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = BudgetWarning.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        def _parse_budget_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        budget_cents = _parse_budget_cents(d.pop("budget_cents", UNSET))

        cost_estimate = cls(
            month_to_date_cents=month_to_date_cents,
            period=period,
            project_id=project_id,
            projected_cents=projected_cents,
            services=services,
            warnings=warnings,
            budget_cents=budget_cents,
        )

        cost_estimate.additional_properties = d
        return cost_estimate

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

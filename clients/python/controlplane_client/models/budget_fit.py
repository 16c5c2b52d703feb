from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.budget_warning import BudgetWarning


T = TypeVar("T", bound="BudgetFit")


@_attrs_define
class BudgetFit:
    """How the plan sits against the project's budget this month.

    Attributes:
        fits (bool): Whether the estimate fits what is left (always, without a budget).
        fits_high (bool): Whether the interval's high end fits too.
        month_to_date_cents (int): The month's usage so far, at the usage price table.
        period (str): `YYYY-MM` (UTC).
        warnings (list[BudgetWarning]): The budget thresholds the month's cost would pass with this plan.
        budget_cents (int | None | Unset): `null`: the project has no budget.
        remaining_cents (int | None | Unset): What is left of the budget; `null` without one.
    """

    fits: bool
    fits_high: bool
    month_to_date_cents: int
    period: str
    warnings: list[BudgetWarning]
    budget_cents: int | None | Unset = UNSET
    remaining_cents: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fits = self.fits

        fits_high = self.fits_high

        month_to_date_cents = self.month_to_date_cents

        period = self.period

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        budget_cents: int | None | Unset
        if isinstance(self.budget_cents, Unset):
            budget_cents = UNSET
        else:
            budget_cents = self.budget_cents

        remaining_cents: int | None | Unset
        if isinstance(self.remaining_cents, Unset):
            remaining_cents = UNSET
        else:
            remaining_cents = self.remaining_cents

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fits": fits,
                "fits_high": fits_high,
                "month_to_date_cents": month_to_date_cents,
                "period": period,
                "warnings": warnings,
            }
        )
        if budget_cents is not UNSET:
            field_dict["budget_cents"] = budget_cents
        if remaining_cents is not UNSET:
            field_dict["remaining_cents"] = remaining_cents

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_warning import BudgetWarning  # noqa: PLC0415

        d = dict(src_dict)
        fits = d.pop("fits")

        fits_high = d.pop("fits_high")

        month_to_date_cents = d.pop("month_to_date_cents")

        period = d.pop("period")

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

        def _parse_remaining_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        remaining_cents = _parse_remaining_cents(d.pop("remaining_cents", UNSET))

        budget_fit = cls(
            fits=fits,
            fits_high=fits_high,
            month_to_date_cents=month_to_date_cents,
            period=period,
            warnings=warnings,
            budget_cents=budget_cents,
            remaining_cents=remaining_cents,
        )

        budget_fit.additional_properties = d
        return budget_fit

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

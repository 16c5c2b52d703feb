from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SetBudget")


@_attrs_define
class SetBudget:
    """
    Attributes:
        alert_thresholds (list[int] | Unset):
        monthly_amount_cents (int | None | Unset): US cents per calendar month; `null` removes the budget; absent keeps
            it.
    """

    alert_thresholds: list[int] | Unset = UNSET
    monthly_amount_cents: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        alert_thresholds: list[int] | Unset = UNSET
        if not isinstance(self.alert_thresholds, Unset):
            alert_thresholds = self.alert_thresholds

        monthly_amount_cents: int | None | Unset
        if isinstance(self.monthly_amount_cents, Unset):
            monthly_amount_cents = UNSET
        else:
            monthly_amount_cents = self.monthly_amount_cents

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if alert_thresholds is not UNSET:
            field_dict["alert_thresholds"] = alert_thresholds
        if monthly_amount_cents is not UNSET:
            field_dict["monthly_amount_cents"] = monthly_amount_cents

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        alert_thresholds = cast(list[int], d.pop("alert_thresholds", UNSET))

        def _parse_monthly_amount_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        monthly_amount_cents = _parse_monthly_amount_cents(d.pop("monthly_amount_cents", UNSET))

        set_budget = cls(
            alert_thresholds=alert_thresholds,
            monthly_amount_cents=monthly_amount_cents,
        )

        return set_budget

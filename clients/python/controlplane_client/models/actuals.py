from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.step_actual import StepActual


T = TypeVar("T", bound="Actuals")


@_attrs_define
class Actuals:
    """A run's actuals, as recorded.

    Attributes:
        cost_usd (float):
        recorded_at (datetime.datetime):
        recorded_by (str):
        steps (list[StepActual]):
        error_percent (float | None | Unset): (estimate − actual) / actual, in percent: positive when the
            estimate was high; `null` when the run cost nothing.
    """

    cost_usd: float
    recorded_at: datetime.datetime
    recorded_by: str
    steps: list[StepActual]
    error_percent: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cost_usd = self.cost_usd

        recorded_at = self.recorded_at.isoformat()

        recorded_by = self.recorded_by

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        error_percent: float | None | Unset
        if isinstance(self.error_percent, Unset):
            error_percent = UNSET
        else:
            error_percent = self.error_percent

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cost_usd": cost_usd,
                "recorded_at": recorded_at,
                "recorded_by": recorded_by,
                "steps": steps,
            }
        )
        if error_percent is not UNSET:
            field_dict["error_percent"] = error_percent

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_actual import StepActual  # noqa: PLC0415

        d = dict(src_dict)
        cost_usd = d.pop("cost_usd")

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        recorded_by = d.pop("recorded_by")

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = StepActual.from_dict(steps_item_data)

            steps.append(steps_item)

        def _parse_error_percent(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        error_percent = _parse_error_percent(d.pop("error_percent", UNSET))

        actuals = cls(
            cost_usd=cost_usd,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            steps=steps,
            error_percent=error_percent,
        )

        actuals.additional_properties = d
        return actuals

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

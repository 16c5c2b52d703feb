from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model import Model
from ..types import UNSET, Unset

T = TypeVar("T", bound="CalibrationView")


@_attrs_define
class CalibrationView:
    """The project's calibration of one model, as an estimate used it.

    Attributes:
        model (Model): The models the price table knows.
        multiplier (float):
        runs (int): Runs with actuals recorded.
        mape_percent (float | None | Unset): Mean absolute percentage error of the estimates those runs had;
            `null` before the first.
        spread (float | None | Unset): The observed relative spread of actual over estimated cost; `null`
            before the second run.
    """

    model: Model
    multiplier: float
    runs: int
    mape_percent: float | None | Unset = UNSET
    spread: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model.value

        multiplier = self.multiplier

        runs = self.runs

        mape_percent: float | None | Unset
        if isinstance(self.mape_percent, Unset):
            mape_percent = UNSET
        else:
            mape_percent = self.mape_percent

        spread: float | None | Unset
        if isinstance(self.spread, Unset):
            spread = UNSET
        else:
            spread = self.spread

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "multiplier": multiplier,
                "runs": runs,
            }
        )
        if mape_percent is not UNSET:
            field_dict["mape_percent"] = mape_percent
        if spread is not UNSET:
            field_dict["spread"] = spread

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = Model(d.pop("model"))

        multiplier = d.pop("multiplier")

        runs = d.pop("runs")

        def _parse_mape_percent(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        mape_percent = _parse_mape_percent(d.pop("mape_percent", UNSET))

        def _parse_spread(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        spread = _parse_spread(d.pop("spread", UNSET))

        calibration_view = cls(
            model=model,
            multiplier=multiplier,
            runs=runs,
            mape_percent=mape_percent,
            spread=spread,
        )

        calibration_view.additional_properties = d
        return calibration_view

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

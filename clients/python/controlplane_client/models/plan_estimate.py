from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.actuals import Actuals
    from ..models.budget_fit import BudgetFit
    from ..models.calibration_view import CalibrationView
    from ..models.step_estimate import StepEstimate


T = TypeVar("T", bound="PlanEstimate")


@_attrs_define
class PlanEstimate:
    """A stored estimate.

    Attributes:
        budget (BudgetFit): How the plan sits against the project's budget this month.
        calibration (list[CalibrationView]): The calibration of each model the plan uses, as applied.
        confidence (float): The interval's coverage: 0.9.
        cost_usd (float):  Example: 0.610525.
        created_at (datetime.datetime):
        created_by (str):
        high_usd (float):
        id (str):
        low_usd (float):
        org_id (str):
        project_id (str):
        steps (list[StepEstimate]):
        version (int):
        actuals (Actuals | None | Unset):
        name (None | str | Unset):  Example: nightly triage.
    """

    budget: BudgetFit
    calibration: list[CalibrationView]
    confidence: float
    cost_usd: float
    created_at: datetime.datetime
    created_by: str
    high_usd: float
    id: str
    low_usd: float
    org_id: str
    project_id: str
    steps: list[StepEstimate]
    version: int
    actuals: Actuals | None | Unset = UNSET
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.actuals import Actuals  # noqa: PLC0415

        budget = self.budget.to_dict()

        calibration = []
        for calibration_item_data in self.calibration:
            calibration_item = calibration_item_data.to_dict()
            calibration.append(calibration_item)

        confidence = self.confidence

        cost_usd = self.cost_usd

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        high_usd = self.high_usd

        id = self.id

        low_usd = self.low_usd

        org_id = self.org_id

        project_id = self.project_id

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        version = self.version

        actuals: dict[str, Any] | None | Unset
        if isinstance(self.actuals, Unset):
            actuals = UNSET
        elif isinstance(self.actuals, Actuals):
            actuals = self.actuals.to_dict()
        else:
            actuals = self.actuals

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "budget": budget,
                "calibration": calibration,
                "confidence": confidence,
                "cost_usd": cost_usd,
                "created_at": created_at,
                "created_by": created_by,
                "high_usd": high_usd,
                "id": id,
                "low_usd": low_usd,
                "org_id": org_id,
                "project_id": project_id,
                "steps": steps,
                "version": version,
            }
        )
        if actuals is not UNSET:
            field_dict["actuals"] = actuals
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actuals import Actuals  # noqa: PLC0415
        from ..models.budget_fit import BudgetFit  # noqa: PLC0415
        from ..models.calibration_view import CalibrationView  # noqa: PLC0415
        from ..models.step_estimate import StepEstimate  # noqa: PLC0415

        d = dict(src_dict)
        budget = BudgetFit.from_dict(d.pop("budget"))

        calibration = []
        _calibration = d.pop("calibration")
        for calibration_item_data in _calibration:
            calibration_item = CalibrationView.from_dict(calibration_item_data)

            calibration.append(calibration_item)

        confidence = d.pop("confidence")

        cost_usd = d.pop("cost_usd")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        high_usd = d.pop("high_usd")

        id = d.pop("id")

        low_usd = d.pop("low_usd")

        org_id = d.pop("org_id")

        project_id = d.pop("project_id")

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = StepEstimate.from_dict(steps_item_data)

            steps.append(steps_item)

        version = d.pop("version")

        def _parse_actuals(data: object) -> Actuals | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                actuals_type_0 = Actuals.from_dict(data)

                return actuals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Actuals | None | Unset, data)

        actuals = _parse_actuals(d.pop("actuals", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        plan_estimate = cls(
            budget=budget,
            calibration=calibration,
            confidence=confidence,
            cost_usd=cost_usd,
            created_at=created_at,
            created_by=created_by,
            high_usd=high_usd,
            id=id,
            low_usd=low_usd,
            org_id=org_id,
            project_id=project_id,
            steps=steps,
            version=version,
            actuals=actuals,
            name=name,
        )

        plan_estimate.additional_properties = d
        return plan_estimate

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

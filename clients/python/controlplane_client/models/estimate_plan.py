from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plan_step_type_0 import PlanStepType0
    from ..models.plan_step_type_1 import PlanStepType1


T = TypeVar("T", bound="EstimatePlan")


@_attrs_define
class EstimatePlan:
    """
    Attributes:
        project_id (str):
        steps (list[PlanStepType0 | PlanStepType1]): Model calls and tool calls, in order.
        name (None | str | Unset): What the plan is, for the people reading it later.
    """

    project_id: str
    steps: list[PlanStepType0 | PlanStepType1]
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.plan_step_type_0 import PlanStepType0  # noqa: PLC0415

        project_id = self.project_id

        steps = []
        for steps_item_data in self.steps:
            steps_item: dict[str, Any]
            if isinstance(steps_item_data, PlanStepType0):
                steps_item = steps_item_data.to_dict()
            else:
                steps_item = steps_item_data.to_dict()

            steps.append(steps_item)

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "project_id": project_id,
                "steps": steps,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_step_type_0 import PlanStepType0  # noqa: PLC0415
        from ..models.plan_step_type_1 import PlanStepType1  # noqa: PLC0415

        d = dict(src_dict)
        project_id = d.pop("project_id")

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:

            def _parse_steps_item(data: object) -> PlanStepType0 | PlanStepType1:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_plan_step_type_0 = PlanStepType0.from_dict(data)

                    return componentsschemas_plan_step_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_plan_step_type_1 = PlanStepType1.from_dict(data)

                return componentsschemas_plan_step_type_1

            steps_item = _parse_steps_item(steps_item_data)

            steps.append(steps_item)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        estimate_plan = cls(
            project_id=project_id,
            steps=steps,
            name=name,
        )

        return estimate_plan

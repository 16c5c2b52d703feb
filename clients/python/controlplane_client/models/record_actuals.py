from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.reported_step import ReportedStep


T = TypeVar("T", bound="RecordActuals")


@_attrs_define
class RecordActuals:
    """
    Attributes:
        steps (list[ReportedStep]): One entry per planned step, in order: a model step's actual tokens
            per call, and the calls made (the planned number when absent).
    """

    steps: list[ReportedStep]

    def to_dict(self) -> dict[str, Any]:
        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "steps": steps,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reported_step import ReportedStep  # noqa: PLC0415

        d = dict(src_dict)
        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = ReportedStep.from_dict(steps_item_data)

            steps.append(steps_item)

        record_actuals = cls(
            steps=steps,
        )

        return record_actuals

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.plan_step_type_1_type import PlanStepType1Type
from ..types import UNSET, Unset

T = TypeVar("T", bound="PlanStepType1")


@_attrs_define
class PlanStepType1:
    """A tool call through the MCP gateway.

    Attributes:
        tool (str): The tool's name (`slug.tool` for an upstream server's).
        type_ (PlanStepType1Type):
        calls (int | None | Unset): How many calls (1 by default).
        unit_price_usd (float | None | Unset): What one call costs beyond the gateway's fee, in US dollars, when
            the tool's provider charges (0 by default).
    """

    tool: str
    type_: PlanStepType1Type
    calls: int | None | Unset = UNSET
    unit_price_usd: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tool = self.tool

        type_ = self.type_.value

        calls: int | None | Unset
        if isinstance(self.calls, Unset):
            calls = UNSET
        else:
            calls = self.calls

        unit_price_usd: float | None | Unset
        if isinstance(self.unit_price_usd, Unset):
            unit_price_usd = UNSET
        else:
            unit_price_usd = self.unit_price_usd

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tool": tool,
                "type": type_,
            }
        )
        if calls is not UNSET:
            field_dict["calls"] = calls
        if unit_price_usd is not UNSET:
            field_dict["unit_price_usd"] = unit_price_usd

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tool = d.pop("tool")

        type_ = PlanStepType1Type(d.pop("type"))

        def _parse_calls(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        calls = _parse_calls(d.pop("calls", UNSET))

        def _parse_unit_price_usd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        unit_price_usd = _parse_unit_price_usd(d.pop("unit_price_usd", UNSET))

        plan_step_type_1 = cls(
            tool=tool,
            type_=type_,
            calls=calls,
            unit_price_usd=unit_price_usd,
        )

        return plan_step_type_1

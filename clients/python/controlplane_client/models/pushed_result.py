from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.result_severity import ResultSeverity
from ..types import UNSET, Unset

T = TypeVar("T", bound="PushedResult")


@_attrs_define
class PushedResult:
    """One finding a tool reported.

    Attributes:
        message (str):
        rule (str):
        severity (ResultSeverity):
        location (None | str | Unset):
    """

    message: str
    rule: str
    severity: ResultSeverity
    location: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        rule = self.rule

        severity = self.severity.value

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "message": message,
                "rule": rule,
                "severity": severity,
            }
        )
        if location is not UNSET:
            field_dict["location"] = location

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message")

        rule = d.pop("rule")

        severity = ResultSeverity(d.pop("severity"))

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        pushed_result = cls(
            message=message,
            rule=rule,
            severity=severity,
            location=location,
        )

        return pushed_result

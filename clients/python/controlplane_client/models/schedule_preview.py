from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SchedulePreview")


@_attrs_define
class SchedulePreview:
    """
    Example:
        {'cron': '0 9 * * 1-5', 'next_runs': ['2026-12-07T08:00:00Z', '2026-12-08T08:00:00Z'], 'timezone':
            'Europe/Berlin'}

    Attributes:
        cron (str):
        next_runs (list[datetime.datetime]): The next slots from now, as the scheduler would start them (UTC).
        timezone (str):
    """

    cron: str
    next_runs: list[datetime.datetime]
    timezone: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cron = self.cron

        next_runs = []
        for next_runs_item_data in self.next_runs:
            next_runs_item = next_runs_item_data.isoformat()
            next_runs.append(next_runs_item)

        timezone = self.timezone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cron": cron,
                "next_runs": next_runs,
                "timezone": timezone,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cron = d.pop("cron")

        next_runs = []
        _next_runs = d.pop("next_runs")
        for next_runs_item_data in _next_runs:
            next_runs_item = datetime.datetime.fromisoformat(next_runs_item_data)

            next_runs.append(next_runs_item)

        timezone = d.pop("timezone")

        schedule_preview = cls(
            cron=cron,
            next_runs=next_runs,
            timezone=timezone,
        )

        schedule_preview.additional_properties = d
        return schedule_preview

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

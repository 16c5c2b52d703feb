from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.period import Period

if TYPE_CHECKING:
    from ..models.usage_point import UsagePoint


T = TypeVar("T", bound="UsageReport")


@_attrs_define
class UsageReport:
    """
    Attributes:
        data (list[UsagePoint]): Oldest first; buckets without usage are left out.
        from_ (datetime.datetime):
        period (Period):
        project_id (str):
        to (datetime.datetime):
    """

    data: list[UsagePoint]
    from_: datetime.datetime
    period: Period
    project_id: str
    to: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        from_ = self.from_.isoformat()

        period = self.period.value

        project_id = self.project_id

        to = self.to.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "from": from_,
                "period": period,
                "project_id": project_id,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_point import UsagePoint  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = UsagePoint.from_dict(data_item_data)

            data.append(data_item)

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        period = Period(d.pop("period"))

        project_id = d.pop("project_id")

        to = datetime.datetime.fromisoformat(d.pop("to"))

        usage_report = cls(
            data=data,
            from_=from_,
            period=period,
            project_id=project_id,
            to=to,
        )

        usage_report.additional_properties = d
        return usage_report

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

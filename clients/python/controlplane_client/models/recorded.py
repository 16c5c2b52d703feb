from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.service import Service
from ..types import UNSET, Unset

T = TypeVar("T", bound="Recorded")


@_attrs_define
class Recorded:
    """
    Attributes:
        period (str): `YYYY-MM`.
        project_id (str):
        service (Service):
        used (int): The month's total after this report (reports committed concurrently
            may add to it).
        warnings_emitted (list[int]): Warning levels this report crossed and emitted (80, 90, 100).
        monthly_limit (int | None | Unset):
    """

    period: str
    project_id: str
    service: Service
    used: int
    warnings_emitted: list[int]
    monthly_limit: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        period = self.period

        project_id = self.project_id

        service = self.service.value

        used = self.used

        warnings_emitted = self.warnings_emitted

        monthly_limit: int | None | Unset
        if isinstance(self.monthly_limit, Unset):
            monthly_limit = UNSET
        else:
            monthly_limit = self.monthly_limit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "project_id": project_id,
                "service": service,
                "used": used,
                "warnings_emitted": warnings_emitted,
            }
        )
        if monthly_limit is not UNSET:
            field_dict["monthly_limit"] = monthly_limit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        period = d.pop("period")

        project_id = d.pop("project_id")

        service = Service(d.pop("service"))

        used = d.pop("used")

        warnings_emitted = cast(list[int], d.pop("warnings_emitted"))

        def _parse_monthly_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        monthly_limit = _parse_monthly_limit(d.pop("monthly_limit", UNSET))

        recorded = cls(
            period=period,
            project_id=project_id,
            service=service,
            used=used,
            warnings_emitted=warnings_emitted,
            monthly_limit=monthly_limit,
        )

        recorded.additional_properties = d
        return recorded

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

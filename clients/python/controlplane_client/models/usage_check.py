from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.service import Service
from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageCheck")


@_attrs_define
class UsageCheck:
    """
    Attributes:
        allowed (bool): Whether `amount` more fits the quota (and the service is enabled).
        enabled (bool):
        period (str): `YYYY-MM`: quotas are per calendar month (UTC).
        project_id (str):
        service (Service):
        used (int):
        monthly_limit (int | None | Unset):
        percentage (float | None | Unset): Of the limit used so far (two decimals); `null` when unlimited.
        remaining (int | None | Unset): Units left before `amount`; `null` when unlimited.
        warning_level (int | None | Unset): 80, 90 or 100 once usage reached that share of the limit.
    """

    allowed: bool
    enabled: bool
    period: str
    project_id: str
    service: Service
    used: int
    monthly_limit: int | None | Unset = UNSET
    percentage: float | None | Unset = UNSET
    remaining: int | None | Unset = UNSET
    warning_level: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allowed = self.allowed

        enabled = self.enabled

        period = self.period

        project_id = self.project_id

        service = self.service.value

        used = self.used

        monthly_limit: int | None | Unset
        if isinstance(self.monthly_limit, Unset):
            monthly_limit = UNSET
        else:
            monthly_limit = self.monthly_limit

        percentage: float | None | Unset
        if isinstance(self.percentage, Unset):
            percentage = UNSET
        else:
            percentage = self.percentage

        remaining: int | None | Unset
        if isinstance(self.remaining, Unset):
            remaining = UNSET
        else:
            remaining = self.remaining

        warning_level: int | None | Unset
        if isinstance(self.warning_level, Unset):
            warning_level = UNSET
        else:
            warning_level = self.warning_level

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allowed": allowed,
                "enabled": enabled,
                "period": period,
                "project_id": project_id,
                "service": service,
                "used": used,
            }
        )
        if monthly_limit is not UNSET:
            field_dict["monthly_limit"] = monthly_limit
        if percentage is not UNSET:
            field_dict["percentage"] = percentage
        if remaining is not UNSET:
            field_dict["remaining"] = remaining
        if warning_level is not UNSET:
            field_dict["warning_level"] = warning_level

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allowed = d.pop("allowed")

        enabled = d.pop("enabled")

        period = d.pop("period")

        project_id = d.pop("project_id")

        service = Service(d.pop("service"))

        used = d.pop("used")

        def _parse_monthly_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        monthly_limit = _parse_monthly_limit(d.pop("monthly_limit", UNSET))

        def _parse_percentage(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        percentage = _parse_percentage(d.pop("percentage", UNSET))

        def _parse_remaining(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        remaining = _parse_remaining(d.pop("remaining", UNSET))

        def _parse_warning_level(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        warning_level = _parse_warning_level(d.pop("warning_level", UNSET))

        usage_check = cls(
            allowed=allowed,
            enabled=enabled,
            period=period,
            project_id=project_id,
            service=service,
            used=used,
            monthly_limit=monthly_limit,
            percentage=percentage,
            remaining=remaining,
            warning_level=warning_level,
        )

        usage_check.additional_properties = d
        return usage_check

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan import Plan

T = TypeVar("T", bound="RateLimits")


@_attrs_define
class RateLimits:
    """Requests per minute the org's plan allows, or its owner set.

    Attributes:
        org_requests_per_minute (int):
        plan (Plan): The org's plan; sets its limits.
        principal_reads_per_minute (int):
        principal_writes_per_minute (int):
    """

    org_requests_per_minute: int
    plan: Plan
    principal_reads_per_minute: int
    principal_writes_per_minute: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        org_requests_per_minute = self.org_requests_per_minute

        plan = self.plan.value

        principal_reads_per_minute = self.principal_reads_per_minute

        principal_writes_per_minute = self.principal_writes_per_minute

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "org_requests_per_minute": org_requests_per_minute,
                "plan": plan,
                "principal_reads_per_minute": principal_reads_per_minute,
                "principal_writes_per_minute": principal_writes_per_minute,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        org_requests_per_minute = d.pop("org_requests_per_minute")

        plan = Plan(d.pop("plan"))

        principal_reads_per_minute = d.pop("principal_reads_per_minute")

        principal_writes_per_minute = d.pop("principal_writes_per_minute")

        rate_limits = cls(
            org_requests_per_minute=org_requests_per_minute,
            plan=plan,
            principal_reads_per_minute=principal_reads_per_minute,
            principal_writes_per_minute=principal_writes_per_minute,
        )

        rate_limits.additional_properties = d
        return rate_limits

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

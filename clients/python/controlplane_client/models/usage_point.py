from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.service import Service

T = TypeVar("T", bound="UsagePoint")


@_attrs_define
class UsagePoint:
    """One counter read back.

    Attributes:
        amount (int):
        bucket (str): The period's bucket: `2026-11-23T07` (hour), `2026-11-23` (day), `2026-11` (month).
        service (Service):
    """

    amount: int
    bucket: str
    service: Service
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        bucket = self.bucket

        service = self.service.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "bucket": bucket,
                "service": service,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        bucket = d.pop("bucket")

        service = Service(d.pop("service"))

        usage_point = cls(
            amount=amount,
            bucket=bucket,
            service=service,
        )

        usage_point.additional_properties = d
        return usage_point

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

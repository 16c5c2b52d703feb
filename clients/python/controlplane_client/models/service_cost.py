from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.service import Service

T = TypeVar("T", bound="ServiceCost")


@_attrs_define
class ServiceCost:
    """
    Attributes:
        month_to_date_cents (int):
        projected_cents (int):
        service (Service):
        unit_price_usd (float):
        used (int):
    """

    month_to_date_cents: int
    projected_cents: int
    service: Service
    unit_price_usd: float
    used: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        month_to_date_cents = self.month_to_date_cents

        projected_cents = self.projected_cents

        service = self.service.value

        unit_price_usd = self.unit_price_usd

        used = self.used

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "month_to_date_cents": month_to_date_cents,
                "projected_cents": projected_cents,
                "service": service,
                "unit_price_usd": unit_price_usd,
                "used": used,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        month_to_date_cents = d.pop("month_to_date_cents")

        projected_cents = d.pop("projected_cents")

        service = Service(d.pop("service"))

        unit_price_usd = d.pop("unit_price_usd")

        used = d.pop("used")

        service_cost = cls(
            month_to_date_cents=month_to_date_cents,
            projected_cents=projected_cents,
            service=service,
            unit_price_usd=unit_price_usd,
            used=used,
        )

        service_cost.additional_properties = d
        return service_cost

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

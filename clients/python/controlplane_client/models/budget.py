from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Budget")


@_attrs_define
class Budget:
    """A project's monthly budget.

    Attributes:
        alert_thresholds (list[int]): Percent of the budget at which the projection warns, ascending.
        project_id (str):
        version (int): 0 until a budget is first set.
        monthly_amount_cents (int | None | Unset): US cents per calendar month; `null`: no budget.
        updated_at (datetime.datetime | None | Unset):
    """

    alert_thresholds: list[int]
    project_id: str
    version: int
    monthly_amount_cents: int | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        alert_thresholds = self.alert_thresholds

        project_id = self.project_id

        version = self.version

        monthly_amount_cents: int | None | Unset
        if isinstance(self.monthly_amount_cents, Unset):
            monthly_amount_cents = UNSET
        else:
            monthly_amount_cents = self.monthly_amount_cents

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alert_thresholds": alert_thresholds,
                "project_id": project_id,
                "version": version,
            }
        )
        if monthly_amount_cents is not UNSET:
            field_dict["monthly_amount_cents"] = monthly_amount_cents
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        alert_thresholds = cast(list[int], d.pop("alert_thresholds"))

        project_id = d.pop("project_id")

        version = d.pop("version")

        def _parse_monthly_amount_cents(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        monthly_amount_cents = _parse_monthly_amount_cents(d.pop("monthly_amount_cents", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        budget = cls(
            alert_thresholds=alert_thresholds,
            project_id=project_id,
            version=version,
            monthly_amount_cents=monthly_amount_cents,
            updated_at=updated_at,
        )

        budget.additional_properties = d
        return budget

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LimitView")


@_attrs_define
class LimitView:
    """One limit as it applies now, beside the plan's default and maximum.

    Attributes:
        default_per_minute (int): The plan's default per minute. Example: 1200.
        maximum_per_minute (int): The most an owner may set per minute (the default times 5). Example: 6000.
        overridden (bool): Whether the org set this limit (else it is the plan's default).
        per_minute (int): Requests per minute. Example: 600.
        burst (int | None | Unset): Requests allowed within any one second (`null`: no cap below the
            minute's quota).
    """

    default_per_minute: int
    maximum_per_minute: int
    overridden: bool
    per_minute: int
    burst: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default_per_minute = self.default_per_minute

        maximum_per_minute = self.maximum_per_minute

        overridden = self.overridden

        per_minute = self.per_minute

        burst: int | None | Unset
        if isinstance(self.burst, Unset):
            burst = UNSET
        else:
            burst = self.burst

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default_per_minute": default_per_minute,
                "maximum_per_minute": maximum_per_minute,
                "overridden": overridden,
                "per_minute": per_minute,
            }
        )
        if burst is not UNSET:
            field_dict["burst"] = burst

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        default_per_minute = d.pop("default_per_minute")

        maximum_per_minute = d.pop("maximum_per_minute")

        overridden = d.pop("overridden")

        per_minute = d.pop("per_minute")

        def _parse_burst(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        burst = _parse_burst(d.pop("burst", UNSET))

        limit_view = cls(
            default_per_minute=default_per_minute,
            maximum_per_minute=maximum_per_minute,
            overridden=overridden,
            per_minute=per_minute,
            burst=burst,
        )

        limit_view.additional_properties = d
        return limit_view

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClassLimit")


@_attrs_define
class ClassLimit:
    """One limit an org's owner set: requests per minute, and optionally at
    most `burst` of them in any one second.

        Attributes:
            per_minute (int):  Example: 300.
            burst (int | None | Unset): Requests allowed within any one second; none: the minute's quota
                may come at once. At least `per_minute / 60` (rounded up), at most
                `per_minute`. Example: 20.
    """

    per_minute: int
    burst: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        per_minute = self.per_minute

        burst: int | None | Unset
        if isinstance(self.burst, Unset):
            burst = UNSET
        else:
            burst = self.burst

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "per_minute": per_minute,
            }
        )
        if burst is not UNSET:
            field_dict["burst"] = burst

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        per_minute = d.pop("per_minute")

        def _parse_burst(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        burst = _parse_burst(d.pop("burst", UNSET))

        class_limit = cls(
            per_minute=per_minute,
            burst=burst,
        )

        return class_limit

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ServiceQuota")


@_attrs_define
class ServiceQuota:
    """One service's quota.

    Attributes:
        enabled (bool): A disabled service is refused by `/v1/usage/check`.
        monthly_limit (int | None | Unset): Units per calendar month (UTC), at most 10^18; `null` is unlimited.
    """

    enabled: bool
    monthly_limit: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        monthly_limit: int | None | Unset
        if isinstance(self.monthly_limit, Unset):
            monthly_limit = UNSET
        else:
            monthly_limit = self.monthly_limit

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "enabled": enabled,
            }
        )
        if monthly_limit is not UNSET:
            field_dict["monthly_limit"] = monthly_limit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled")

        def _parse_monthly_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        monthly_limit = _parse_monthly_limit(d.pop("monthly_limit", UNSET))

        service_quota = cls(
            enabled=enabled,
            monthly_limit=monthly_limit,
        )

        return service_quota

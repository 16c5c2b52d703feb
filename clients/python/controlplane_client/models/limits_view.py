from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan import Plan
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.limit_view import LimitView


T = TypeVar("T", bound="LimitsView")


@_attrs_define
class LimitsView:
    """
    Attributes:
        org (LimitView): One limit as it applies now, beside the plan's default and maximum.
        plan (Plan): The org's plan; sets its limits.
        read (LimitView): One limit as it applies now, beside the plan's default and maximum.
        version (int): 0 until the org first sets a limit.
        write (LimitView): One limit as it applies now, beside the plan's default and maximum.
        updated_at (datetime.datetime | None | Unset):
    """

    org: LimitView
    plan: Plan
    read: LimitView
    version: int
    write: LimitView
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        org = self.org.to_dict()

        plan = self.plan.value

        read = self.read.to_dict()

        version = self.version

        write = self.write.to_dict()

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
                "org": org,
                "plan": plan,
                "read": read,
                "version": version,
                "write": write,
            }
        )
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.limit_view import LimitView  # noqa: PLC0415

        d = dict(src_dict)
        org = LimitView.from_dict(d.pop("org"))

        plan = Plan(d.pop("plan"))

        read = LimitView.from_dict(d.pop("read"))

        version = d.pop("version")

        write = LimitView.from_dict(d.pop("write"))

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

        limits_view = cls(
            org=org,
            plan=plan,
            read=read,
            version=version,
            write=write,
            updated_at=updated_at,
        )

        limits_view.additional_properties = d
        return limits_view

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

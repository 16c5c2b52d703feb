from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateOrg")


@_attrs_define
class UpdateOrg:
    """Fields to change; absent fields keep their value.

    Attributes:
        audit_retention_days (int | None | Unset): Days audit events are kept, 30–3650.
        name (None | str | Unset):
    """

    audit_retention_days: int | None | Unset = UNSET
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        audit_retention_days: int | None | Unset
        if isinstance(self.audit_retention_days, Unset):
            audit_retention_days = UNSET
        else:
            audit_retention_days = self.audit_retention_days

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if audit_retention_days is not UNSET:
            field_dict["audit_retention_days"] = audit_retention_days
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_audit_retention_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        audit_retention_days = _parse_audit_retention_days(d.pop("audit_retention_days", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        update_org = cls(
            audit_retention_days=audit_retention_days,
            name=name,
        )

        return update_org

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan import Plan
from ..types import UNSET, Unset

T = TypeVar("T", bound="Org")


@_attrs_define
class Org:
    """
    Attributes:
        created_at (datetime.datetime):
        created_by (str): The user who created the organization.
        id (str):
        name (str): 1 to 100 characters, not only spaces; no control, bidirectional or invisible characters.
        updated_at (datetime.datetime):
        version (int):
        audit_retention_days (int | Unset): Days audit events are kept (whole UTC days; applies to events written
            after a change). Default 365. Example: 365.
        plan (Plan | Unset): The org's plan; sets its limits.
        region (None | str | Unset):
    """

    created_at: datetime.datetime
    created_by: str
    id: str
    name: str
    updated_at: datetime.datetime
    version: int
    audit_retention_days: int | Unset = UNSET
    plan: Plan | Unset = UNSET
    region: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        created_by = self.created_by

        id = self.id

        name = self.name

        updated_at = self.updated_at.isoformat()

        version = self.version

        audit_retention_days = self.audit_retention_days

        plan: str | Unset = UNSET
        if not isinstance(self.plan, Unset):
            plan = self.plan.value

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "id": id,
                "name": name,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if audit_retention_days is not UNSET:
            field_dict["audit_retention_days"] = audit_retention_days
        if plan is not UNSET:
            field_dict["plan"] = plan
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        id = d.pop("id")

        name = d.pop("name")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        audit_retention_days = d.pop("audit_retention_days", UNSET)

        _plan = d.pop("plan", UNSET)
        plan: Plan | Unset
        if isinstance(_plan, Unset):
            plan = UNSET
        else:
            plan = Plan(_plan)

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        org = cls(
            created_at=created_at,
            created_by=created_by,
            id=id,
            name=name,
            updated_at=updated_at,
            version=version,
            audit_retention_days=audit_retention_days,
            plan=plan,
            region=region,
        )

        org.additional_properties = d
        return org

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

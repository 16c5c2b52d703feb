from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Schedule")


@_attrs_define
class Schedule:
    """
    Attributes:
        created_at (datetime.datetime):
        created_by (str):
        cron (str): Five fields (`minute hour day-of-month month day-of-week`) or
            `rate(N minutes|hours|days)`.
        enabled (bool):
        id (str):
        org_id (str):
        project_id (str):
        source_id (str):
        timezone (str): IANA zone the cron fields are read in (default `UTC`).
        updated_at (datetime.datetime):
        version (int):
        last_run_at (datetime.datetime | None | Unset):
        next_run_at (datetime.datetime | None | Unset): The next slot; `null` while disabled.
    """

    created_at: datetime.datetime
    created_by: str
    cron: str
    enabled: bool
    id: str
    org_id: str
    project_id: str
    source_id: str
    timezone: str
    updated_at: datetime.datetime
    version: int
    last_run_at: datetime.datetime | None | Unset = UNSET
    next_run_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        created_by = self.created_by

        cron = self.cron

        enabled = self.enabled

        id = self.id

        org_id = self.org_id

        project_id = self.project_id

        source_id = self.source_id

        timezone = self.timezone

        updated_at = self.updated_at.isoformat()

        version = self.version

        last_run_at: None | str | Unset
        if isinstance(self.last_run_at, Unset):
            last_run_at = UNSET
        elif isinstance(self.last_run_at, datetime.datetime):
            last_run_at = self.last_run_at.isoformat()
        else:
            last_run_at = self.last_run_at

        next_run_at: None | str | Unset
        if isinstance(self.next_run_at, Unset):
            next_run_at = UNSET
        elif isinstance(self.next_run_at, datetime.datetime):
            next_run_at = self.next_run_at.isoformat()
        else:
            next_run_at = self.next_run_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "cron": cron,
                "enabled": enabled,
                "id": id,
                "org_id": org_id,
                "project_id": project_id,
                "source_id": source_id,
                "timezone": timezone,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if last_run_at is not UNSET:
            field_dict["last_run_at"] = last_run_at
        if next_run_at is not UNSET:
            field_dict["next_run_at"] = next_run_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        cron = d.pop("cron")

        enabled = d.pop("enabled")

        id = d.pop("id")

        org_id = d.pop("org_id")

        project_id = d.pop("project_id")

        source_id = d.pop("source_id")

        timezone = d.pop("timezone")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_last_run_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_run_at = _parse_last_run_at(d.pop("last_run_at", UNSET))

        def _parse_next_run_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_run_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_run_at = _parse_next_run_at(d.pop("next_run_at", UNSET))

        schedule = cls(
            created_at=created_at,
            created_by=created_by,
            cron=cron,
            enabled=enabled,
            id=id,
            org_id=org_id,
            project_id=project_id,
            source_id=source_id,
            timezone=timezone,
            updated_at=updated_at,
            version=version,
            last_run_at=last_run_at,
            next_run_at=next_run_at,
        )

        schedule.additional_properties = d
        return schedule

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment import Environment
from ..models.project_status import ProjectStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Project")


@_attrs_define
class Project:
    """
    Attributes:
        created_at (datetime.datetime):
        created_by (str): The user who created the project.
        id (str):
        name (str): 1 to 64 characters: letters and digits of any script, spaces, `-`, `_` and `.`, but no other ASCII
            punctuation, no other whitespace, no control, bidirectional or invisible characters; not starting with a space,
            `-`, `_` or `.`, not ending with a space.
        org_id (str):
        status (ProjectStatus):
        updated_at (datetime.datetime):
        version (int):
        deleted_at (datetime.datetime | None | Unset):
        description (None | str | Unset):
        environment (Environment | Unset): What a project is for; the data plane reads it from the snapshot.
        region (None | str | Unset):
        runtime_template_version (int | None | Unset): The runtime template the project was last provisioned with.
        status_reason (None | str | Unset): Why the project is in its status (set when provisioning failed).
    """

    created_at: datetime.datetime
    created_by: str
    id: str
    name: str
    org_id: str
    status: ProjectStatus
    updated_at: datetime.datetime
    version: int
    deleted_at: datetime.datetime | None | Unset = UNSET
    description: None | str | Unset = UNSET
    environment: Environment | Unset = UNSET
    region: None | str | Unset = UNSET
    runtime_template_version: int | None | Unset = UNSET
    status_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        created_by = self.created_by

        id = self.id

        name = self.name

        org_id = self.org_id

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        version = self.version

        deleted_at: None | str | Unset
        if isinstance(self.deleted_at, Unset):
            deleted_at = UNSET
        elif isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        environment: str | Unset = UNSET
        if not isinstance(self.environment, Unset):
            environment = self.environment.value

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        runtime_template_version: int | None | Unset
        if isinstance(self.runtime_template_version, Unset):
            runtime_template_version = UNSET
        else:
            runtime_template_version = self.runtime_template_version

        status_reason: None | str | Unset
        if isinstance(self.status_reason, Unset):
            status_reason = UNSET
        else:
            status_reason = self.status_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "id": id,
                "name": name,
                "org_id": org_id,
                "status": status,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if deleted_at is not UNSET:
            field_dict["deleted_at"] = deleted_at
        if description is not UNSET:
            field_dict["description"] = description
        if environment is not UNSET:
            field_dict["environment"] = environment
        if region is not UNSET:
            field_dict["region"] = region
        if runtime_template_version is not UNSET:
            field_dict["runtime_template_version"] = runtime_template_version
        if status_reason is not UNSET:
            field_dict["status_reason"] = status_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        id = d.pop("id")

        name = d.pop("name")

        org_id = d.pop("org_id")

        status = ProjectStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_deleted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        _environment = d.pop("environment", UNSET)
        environment: Environment | Unset
        if isinstance(_environment, Unset):
            environment = UNSET
        else:
            environment = Environment(_environment)

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_runtime_template_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        runtime_template_version = _parse_runtime_template_version(d.pop("runtime_template_version", UNSET))

        def _parse_status_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_reason = _parse_status_reason(d.pop("status_reason", UNSET))

        project = cls(
            created_at=created_at,
            created_by=created_by,
            id=id,
            name=name,
            org_id=org_id,
            status=status,
            updated_at=updated_at,
            version=version,
            deleted_at=deleted_at,
            description=description,
            environment=environment,
            region=region,
            runtime_template_version=runtime_template_version,
            status_reason=status_reason,
        )

        project.additional_properties = d
        return project

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

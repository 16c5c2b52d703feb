from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.environment import Environment
from ..models.project_status import ProjectStatus
from ..models.service import Service
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rate_limits import RateLimits
    from ..models.snapshot_quotas import SnapshotQuotas


T = TypeVar("T", bound="Snapshot")


@_attrs_define
class Snapshot:
    """
    Attributes:
        enabled_services (list[Service]): Services the project may use.
        environment (Environment): What a project is for; the data plane reads it from the snapshot.
        generated_at (datetime.datetime):
        limits (RateLimits): Requests per minute the org's plan allows, or its owner set.
        org_id (str):
        project_id (str):
        quotas (SnapshotQuotas):
        status (ProjectStatus):
        version (int): Grows whenever anything above changes; also the `ETag`.
        runtime_template_version (int | None | Unset):
    """

    enabled_services: list[Service]
    environment: Environment
    generated_at: datetime.datetime
    limits: RateLimits
    org_id: str
    project_id: str
    quotas: SnapshotQuotas
    status: ProjectStatus
    version: int
    runtime_template_version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled_services = []
        for enabled_services_item_data in self.enabled_services:
            enabled_services_item = enabled_services_item_data.value
            enabled_services.append(enabled_services_item)

        environment = self.environment.value

        generated_at = self.generated_at.isoformat()

        limits = self.limits.to_dict()

        org_id = self.org_id

        project_id = self.project_id

        quotas = self.quotas.to_dict()

        status = self.status.value

        version = self.version

        runtime_template_version: int | None | Unset
        if isinstance(self.runtime_template_version, Unset):
            runtime_template_version = UNSET
        else:
            runtime_template_version = self.runtime_template_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enabled_services": enabled_services,
                "environment": environment,
                "generated_at": generated_at,
                "limits": limits,
                "org_id": org_id,
                "project_id": project_id,
                "quotas": quotas,
                "status": status,
                "version": version,
            }
        )
        if runtime_template_version is not UNSET:
            field_dict["runtime_template_version"] = runtime_template_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rate_limits import RateLimits  # noqa: PLC0415
        from ..models.snapshot_quotas import SnapshotQuotas  # noqa: PLC0415

        d = dict(src_dict)
        enabled_services = []
        _enabled_services = d.pop("enabled_services")
        for enabled_services_item_data in _enabled_services:
            enabled_services_item = Service(enabled_services_item_data)

            enabled_services.append(enabled_services_item)

        environment = Environment(d.pop("environment"))

        generated_at = datetime.datetime.fromisoformat(d.pop("generated_at"))

        limits = RateLimits.from_dict(d.pop("limits"))

        org_id = d.pop("org_id")

        project_id = d.pop("project_id")

        quotas = SnapshotQuotas.from_dict(d.pop("quotas"))

        status = ProjectStatus(d.pop("status"))

        version = d.pop("version")

        def _parse_runtime_template_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        runtime_template_version = _parse_runtime_template_version(d.pop("runtime_template_version", UNSET))

        snapshot = cls(
            enabled_services=enabled_services,
            environment=environment,
            generated_at=generated_at,
            limits=limits,
            org_id=org_id,
            project_id=project_id,
            quotas=quotas,
            status=status,
            version=version,
            runtime_template_version=runtime_template_version,
        )

        snapshot.additional_properties = d
        return snapshot

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.dependencies import Dependencies


T = TypeVar("T", bound="Health")


@_attrs_define
class Health:
    """
    Example:
        {'dependencies': {'queue': {'latency_ms': 2.5, 'status': 'ok'}, 'store': {'latency_ms': 1.2, 'status': 'ok'}},
            'status': 'ok', 'uptime_seconds': 3600, 'version': '0.1.0'}

    Attributes:
        dependencies (Dependencies):
        status (str): `ok`, or `unavailable` when a dependency fails.
        uptime_seconds (int):
        version (str):
    """

    dependencies: Dependencies
    status: str
    uptime_seconds: int
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dependencies = self.dependencies.to_dict()

        status = self.status

        uptime_seconds = self.uptime_seconds

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dependencies": dependencies,
                "status": status,
                "uptime_seconds": uptime_seconds,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dependencies import Dependencies  # noqa: PLC0415

        d = dict(src_dict)
        dependencies = Dependencies.from_dict(d.pop("dependencies"))

        status = d.pop("status")

        uptime_seconds = d.pop("uptime_seconds")

        version = d.pop("version")

        health = cls(
            dependencies=dependencies,
            status=status,
            uptime_seconds=uptime_seconds,
            version=version,
        )

        health.additional_properties = d
        return health

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

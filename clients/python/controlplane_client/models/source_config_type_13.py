from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.source_config_type_13_kind import SourceConfigType13Kind

if TYPE_CHECKING:
    from ..models.endpoint import Endpoint


T = TypeVar("T", bound="SourceConfigType13")


@_attrs_define
class SourceConfigType13:
    """
    Attributes:
        connector (Endpoint): `ingest.fleet_sync`, `ingest.artifact_import`, `runtime.proxy`,
            `runtime.gateway`: an HTTPS endpoint the source pulls from or fronts.
        kind (SourceConfigType13Kind):
    """

    connector: Endpoint
    kind: SourceConfigType13Kind
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        connector = self.connector.to_dict()

        kind = self.kind.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "connector": connector,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.endpoint import Endpoint  # noqa: PLC0415

        d = dict(src_dict)
        connector = Endpoint.from_dict(d.pop("connector"))

        kind = SourceConfigType13Kind(d.pop("kind"))

        source_config_type_13 = cls(
            connector=connector,
            kind=kind,
        )

        source_config_type_13.additional_properties = d
        return source_config_type_13

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

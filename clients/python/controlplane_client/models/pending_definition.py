from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pending_definition_definition import PendingDefinitionDefinition


T = TypeVar("T", bound="PendingDefinition")


@_attrs_define
class PendingDefinition:
    """A definition seen and not approved yet.

    Attributes:
        definition (PendingDefinitionDefinition):
        seen_at (datetime.datetime):
        sha256 (str):
    """

    definition: PendingDefinitionDefinition
    seen_at: datetime.datetime
    sha256: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        definition = self.definition.to_dict()

        seen_at = self.seen_at.isoformat()

        sha256 = self.sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "definition": definition,
                "seen_at": seen_at,
                "sha256": sha256,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pending_definition_definition import PendingDefinitionDefinition  # noqa: PLC0415

        d = dict(src_dict)
        definition = PendingDefinitionDefinition.from_dict(d.pop("definition"))

        seen_at = datetime.datetime.fromisoformat(d.pop("seen_at"))

        sha256 = d.pop("sha256")

        pending_definition = cls(
            definition=definition,
            seen_at=seen_at,
            sha256=sha256,
        )

        pending_definition.additional_properties = d
        return pending_definition

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.credential_placement_type_1_type import CredentialPlacementType1Type

T = TypeVar("T", bound="CredentialPlacementType1")


@_attrs_define
class CredentialPlacementType1:
    """The token as the value of the header `name` (`X-Api-Key`).

    Attributes:
        name (str): Letters, digits and hyphens; not one the transport sets itself
            (`Host`, `Content-Type`, `Content-Length`, `Accept`,
            `Mcp-Session-Id`, `Mcp-Protocol-Version`).
        type_ (CredentialPlacementType1Type):
    """

    name: str
    type_: CredentialPlacementType1Type

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        type_ = CredentialPlacementType1Type(d.pop("type"))

        credential_placement_type_1 = cls(
            name=name,
            type_=type_,
        )

        return credential_placement_type_1

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.credential_placement_type_0_type import CredentialPlacementType0Type

T = TypeVar("T", bound="CredentialPlacementType0")


@_attrs_define
class CredentialPlacementType0:
    """`Authorization: Bearer <token>` (the default).

    Attributes:
        type_ (CredentialPlacementType0Type):
    """

    type_: CredentialPlacementType0Type

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = CredentialPlacementType0Type(d.pop("type"))

        credential_placement_type_0 = cls(
            type_=type_,
        )

        return credential_placement_type_0

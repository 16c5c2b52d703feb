from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RevokeType0")


@_attrs_define
class RevokeType0:
    """
    Attributes:
        jti (Any):
        issued_before (None | Unset):
    """

    jti: Any
    issued_before: None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        jti = self.jti

        issued_before = self.issued_before

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "jti": jti,
            }
        )
        if issued_before is not UNSET:
            field_dict["issued_before"] = issued_before

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        jti = d.pop("jti")

        issued_before = d.pop("issued_before", UNSET)

        revoke_type_0 = cls(
            jti=jti,
            issued_before=issued_before,
        )

        revoke_type_0.additional_properties = d
        return revoke_type_0

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="UpdateMember")


@_attrs_define
class UpdateMember:
    """
    Attributes:
        role (str): A role's name: 1–32 characters, lowercase letters, digits, `_` and `-`,
            starting with a letter. Example: developer.
    """

    role: str

    def to_dict(self) -> dict[str, Any]:
        role = self.role

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = d.pop("role")

        update_member = cls(
            role=role,
        )

        return update_member

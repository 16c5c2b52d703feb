from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Member")


@_attrs_define
class Member:
    """
    Attributes:
        added_by (str): The user who added this member.
        created_at (datetime.datetime):
        org_id (str):
        role (str): A role's name: 1–32 characters, lowercase letters, digits, `_` and `-`,
            starting with a letter. Example: developer.
        updated_at (datetime.datetime):
        user_id (str): The identity provider's subject. 1–128 printable characters, no
            whitespace or `#` (the store's key separator). Example: user_123.
        version (int):
        email (None | str | Unset):
    """

    added_by: str
    created_at: datetime.datetime
    org_id: str
    role: str
    updated_at: datetime.datetime
    user_id: str
    version: int
    email: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        added_by = self.added_by

        created_at = self.created_at.isoformat()

        org_id = self.org_id

        role = self.role

        updated_at = self.updated_at.isoformat()

        user_id = self.user_id

        version = self.version

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "added_by": added_by,
                "created_at": created_at,
                "org_id": org_id,
                "role": role,
                "updated_at": updated_at,
                "user_id": user_id,
                "version": version,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        added_by = d.pop("added_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        org_id = d.pop("org_id")

        role = d.pop("role")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        user_id = d.pop("user_id")

        version = d.pop("version")

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        member = cls(
            added_by=added_by,
            created_at=created_at,
            org_id=org_id,
            role=role,
            updated_at=updated_at,
            user_id=user_id,
            version=version,
            email=email,
        )

        member.additional_properties = d
        return member

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

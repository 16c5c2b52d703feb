from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.auth_method import AuthMethod
from ..models.key_type import KeyType
from ..models.permission import Permission
from ..types import UNSET, Unset

T = TypeVar("T", bound="Me")


@_attrs_define
class Me:
    """
    Example:
        {'authentication': 'development', 'email': 'alice@example.com', 'id': 'alice', 'key_type': None, 'kind': 'user',
            'org_id': 'org_01jf8zq3m5n7p9r1t3v5x7z9bc', 'permissions': ['org:read', 'members:read', 'projects:read',
            'jobs:read', 'usage:read', 'sources:read'], 'project_id': None, 'role': 'viewer'}

    Attributes:
        authentication (AuthMethod): How a caller proved who it is, as `GET /v1/me` reports it.
        id (str): The user's id (the token's `sub`) or the key's id.
        kind (str): `user` or `key`.
        permissions (list[Permission]): What the caller may do in that org now (a key: its scopes as far as
            its creator's role still grants them), in the API's order.
        email (None | str | Unset): A user's email, when the token carries one.
        key_type (KeyType | None | Unset):
        org_id (None | str | Unset):
        project_id (None | str | Unset):
        role (None | str | Unset):
    """

    authentication: AuthMethod
    id: str
    kind: str
    permissions: list[Permission]
    email: None | str | Unset = UNSET
    key_type: KeyType | None | Unset = UNSET
    org_id: None | str | Unset = UNSET
    project_id: None | str | Unset = UNSET
    role: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authentication = self.authentication.value

        id = self.id

        kind = self.kind

        permissions = []
        for permissions_item_data in self.permissions:
            permissions_item = permissions_item_data.value
            permissions.append(permissions_item)

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        key_type: None | str | Unset
        if isinstance(self.key_type, Unset):
            key_type = UNSET
        elif isinstance(self.key_type, KeyType):
            key_type = self.key_type.value
        else:
            key_type = self.key_type

        org_id: None | str | Unset
        if isinstance(self.org_id, Unset):
            org_id = UNSET
        else:
            org_id = self.org_id

        project_id: None | str | Unset
        if isinstance(self.project_id, Unset):
            project_id = UNSET
        else:
            project_id = self.project_id

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        else:
            role = self.role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "authentication": authentication,
                "id": id,
                "kind": kind,
                "permissions": permissions,
            }
        )
        if email is not UNSET:
            field_dict["email"] = email
        if key_type is not UNSET:
            field_dict["key_type"] = key_type
        if org_id is not UNSET:
            field_dict["org_id"] = org_id
        if project_id is not UNSET:
            field_dict["project_id"] = project_id
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        authentication = AuthMethod(d.pop("authentication"))

        id = d.pop("id")

        kind = d.pop("kind")

        permissions = []
        _permissions = d.pop("permissions")
        for permissions_item_data in _permissions:
            permissions_item = Permission(permissions_item_data)

            permissions.append(permissions_item)

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_key_type(data: object) -> KeyType | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                key_type_type_0 = KeyType(data)

                return key_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KeyType | None | Unset, data)

        key_type = _parse_key_type(d.pop("key_type", UNSET))

        def _parse_org_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        org_id = _parse_org_id(d.pop("org_id", UNSET))

        def _parse_project_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_id = _parse_project_id(d.pop("project_id", UNSET))

        def _parse_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role = _parse_role(d.pop("role", UNSET))

        me = cls(
            authentication=authentication,
            id=id,
            kind=kind,
            permissions=permissions,
            email=email,
            key_type=key_type,
            org_id=org_id,
            project_id=project_id,
            role=role,
        )

        me.additional_properties = d
        return me

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

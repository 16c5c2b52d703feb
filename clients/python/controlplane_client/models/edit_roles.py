from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.edit_roles_roles import EditRolesRoles


T = TypeVar("T", bound="EditRoles")


@_attrs_define
class EditRoles:
    """The complete set of roles after the edit. Roles left out are removed;
    `owner` may be left out or repeated unchanged.

        Attributes:
            roles (EditRolesRoles):  Example: {'admin': ['org:read', 'org:update'], 'auditor': ['org:read', 'audit:read']}.
    """

    roles: EditRolesRoles

    def to_dict(self) -> dict[str, Any]:
        roles = self.roles.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "roles": roles,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.edit_roles_roles import EditRolesRoles  # noqa: PLC0415

        d = dict(src_dict)
        roles = EditRolesRoles.from_dict(d.pop("roles"))

        edit_roles = cls(
            roles=roles,
        )

        return edit_roles

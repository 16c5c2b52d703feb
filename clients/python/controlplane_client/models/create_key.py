from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.key_type import KeyType
from ..models.scope_type_0 import ScopeType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateKey")


@_attrs_define
class CreateKey:
    """
    Attributes:
        name (str): 1 to 64 characters, not only spaces; no control, bidirectional or invisible characters.
        project_id (str):
        scopes (list[ScopeType0 | str]): Permissions the type allows (e.g. `projects:read`), `*` for all of
            them, or for `mcp` keys `mcp:*` / `mcp:tool:<name>`; at least one.
        type_ (KeyType):
        expires_at (datetime.datetime | None | Unset): When the key stops working (RFC 3339, in the future).
        resources (list[str] | Unset): Limit the key to these sources (`src_…`) and webhooks (`wh_…`): for
            each kind listed, only the listed ids (at most 100). Default: none.
    """

    name: str
    project_id: str
    scopes: list[ScopeType0 | str]
    type_: KeyType
    expires_at: datetime.datetime | None | Unset = UNSET
    resources: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        project_id = self.project_id

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item: str
            if isinstance(scopes_item_data, ScopeType0):
                scopes_item = scopes_item_data.value
            else:
                scopes_item = scopes_item_data
            scopes.append(scopes_item)

        type_ = self.type_.value

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        resources: list[str] | Unset = UNSET
        if not isinstance(self.resources, Unset):
            resources = self.resources

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "project_id": project_id,
                "scopes": scopes,
                "type": type_,
            }
        )
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if resources is not UNSET:
            field_dict["resources"] = resources

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        project_id = d.pop("project_id")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:

            def _parse_scopes_item(data: object) -> ScopeType0 | str:
                try:
                    if not isinstance(data, str):
                        raise TypeError()
                    componentsschemas_scope_type_0 = ScopeType0(data)

                    return componentsschemas_scope_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(ScopeType0 | str, data)

            scopes_item = _parse_scopes_item(scopes_item_data)

            scopes.append(scopes_item)

        type_ = KeyType(d.pop("type"))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        resources = cast(list[str], d.pop("resources", UNSET))

        create_key = cls(
            name=name,
            project_id=project_id,
            scopes=scopes,
            type_=type_,
            expires_at=expires_at,
            resources=resources,
        )

        return create_key

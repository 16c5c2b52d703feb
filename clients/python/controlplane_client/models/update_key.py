from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.scope_type_0 import ScopeType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateKey")


@_attrs_define
class UpdateKey:
    """Fields to change; absent fields keep their value.

    Attributes:
        enabled (bool | None | Unset):
        expires_at (datetime.datetime | None | Unset):
        name (None | str | Unset):
        resources (list[str] | None | Unset): The complete new resource list (`[]` lifts the limit).
        scopes (list[ScopeType0 | str] | None | Unset): The complete new scope list, at least one, of those the key's
            type
            takes.
    """

    enabled: bool | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    name: None | str | Unset = UNSET
    resources: list[str] | None | Unset = UNSET
    scopes: list[ScopeType0 | str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        resources: list[str] | None | Unset
        if isinstance(self.resources, Unset):
            resources = UNSET
        elif isinstance(self.resources, list):
            resources = self.resources

        else:
            resources = self.resources

        scopes: list[str] | None | Unset
        if isinstance(self.scopes, Unset):
            scopes = UNSET
        elif isinstance(self.scopes, list):
            scopes = []
            for scopes_type_0_item_data in self.scopes:
                scopes_type_0_item: str
                if isinstance(scopes_type_0_item_data, ScopeType0):
                    scopes_type_0_item = scopes_type_0_item_data.value
                else:
                    scopes_type_0_item = scopes_type_0_item_data
                scopes.append(scopes_type_0_item)

        else:
            scopes = self.scopes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if name is not UNSET:
            field_dict["name"] = name
        if resources is not UNSET:
            field_dict["resources"] = resources
        if scopes is not UNSET:
            field_dict["scopes"] = scopes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

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

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_resources(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                resources_type_0 = cast(list[str], data)

                return resources_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        resources = _parse_resources(d.pop("resources", UNSET))

        def _parse_scopes(data: object) -> list[ScopeType0 | str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scopes_type_0 = []
                _scopes_type_0 = data
                for scopes_type_0_item_data in _scopes_type_0:

                    def _parse_scopes_type_0_item(data: object) -> ScopeType0 | str:
                        try:
                            if not isinstance(data, str):
                                raise TypeError()
                            componentsschemas_scope_type_0 = ScopeType0(data)

                            return componentsschemas_scope_type_0
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        return cast(ScopeType0 | str, data)

                    scopes_type_0_item = _parse_scopes_type_0_item(scopes_type_0_item_data)

                    scopes_type_0.append(scopes_type_0_item)

                return scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ScopeType0 | str] | None | Unset, data)

        scopes = _parse_scopes(d.pop("scopes", UNSET))

        update_key = cls(
            enabled=enabled,
            expires_at=expires_at,
            name=name,
            resources=resources,
            scopes=scopes,
        )

        return update_key

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.key_type import KeyType
from ..models.scope_type_0 import ScopeType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreatedKey")


@_attrs_define
class CreatedKey:
    """A new key with its token: shown once, never again.

    Attributes:
        created_at (datetime.datetime):
        created_by (str): The member who created the key. The key never grants more than
            this member's role does now: its permissions are intersected with
            the role's on every request, so a demotion (or the member leaving)
            narrows the key from the next request on.
        enabled (bool):
        id (str):
        last4 (str): The token's last four characters, to recognise it.
        name (str): 1 to 64 characters, not only spaces; no control, bidirectional or invisible characters.
        org_id (str):
        prefix (str): The token's type prefix, e.g. `sk_live_`.
        project_id (str):
        scopes (list[ScopeType0 | str]):
        type_ (KeyType):
        updated_at (datetime.datetime):
        version (int):
        expires_at (datetime.datetime | None | Unset):
        previous_token_valid_until (datetime.datetime | None | Unset): When the token before the last rotation stops
            working.
        resources (list[str] | Unset): Resources the key is limited to. For each kind listed (sources,
            webhooks) the key reaches only the listed ids of that kind; kinds
            not listed are governed by the scopes alone. Empty: no limit.
        revoked_at (datetime.datetime | None | Unset):
        secret_withheld (None | str | Unset): Only in a replay of an `Idempotency-Key` request, which leaves the
            secret out (it is never kept): says so.
        token (str | Unset): The secret token. Store it now: only its hash is kept. Absent from
            an `Idempotency-Key` replay (see `secret_withheld`).
    """

    created_at: datetime.datetime
    created_by: str
    enabled: bool
    id: str
    last4: str
    name: str
    org_id: str
    prefix: str
    project_id: str
    scopes: list[ScopeType0 | str]
    type_: KeyType
    updated_at: datetime.datetime
    version: int
    expires_at: datetime.datetime | None | Unset = UNSET
    previous_token_valid_until: datetime.datetime | None | Unset = UNSET
    resources: list[str] | Unset = UNSET
    revoked_at: datetime.datetime | None | Unset = UNSET
    secret_withheld: None | str | Unset = UNSET
    token: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        created_by = self.created_by

        enabled = self.enabled

        id = self.id

        last4 = self.last4

        name = self.name

        org_id = self.org_id

        prefix = self.prefix

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

        updated_at = self.updated_at.isoformat()

        version = self.version

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        previous_token_valid_until: None | str | Unset
        if isinstance(self.previous_token_valid_until, Unset):
            previous_token_valid_until = UNSET
        elif isinstance(self.previous_token_valid_until, datetime.datetime):
            previous_token_valid_until = self.previous_token_valid_until.isoformat()
        else:
            previous_token_valid_until = self.previous_token_valid_until

        resources: list[str] | Unset = UNSET
        if not isinstance(self.resources, Unset):
            resources = self.resources

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        elif isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        secret_withheld: None | str | Unset
        if isinstance(self.secret_withheld, Unset):
            secret_withheld = UNSET
        else:
            secret_withheld = self.secret_withheld

        token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "enabled": enabled,
                "id": id,
                "last4": last4,
                "name": name,
                "org_id": org_id,
                "prefix": prefix,
                "project_id": project_id,
                "scopes": scopes,
                "type": type_,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if previous_token_valid_until is not UNSET:
            field_dict["previous_token_valid_until"] = previous_token_valid_until
        if resources is not UNSET:
            field_dict["resources"] = resources
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at
        if secret_withheld is not UNSET:
            field_dict["secret_withheld"] = secret_withheld
        if token is not UNSET:
            field_dict["token"] = token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        enabled = d.pop("enabled")

        id = d.pop("id")

        last4 = d.pop("last4")

        name = d.pop("name")

        org_id = d.pop("org_id")

        prefix = d.pop("prefix")

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

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

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

        def _parse_previous_token_valid_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_token_valid_until_type_0 = datetime.datetime.fromisoformat(data)

                return previous_token_valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        previous_token_valid_until = _parse_previous_token_valid_until(d.pop("previous_token_valid_until", UNSET))

        resources = cast(list[str], d.pop("resources", UNSET))

        def _parse_revoked_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at", UNSET))

        def _parse_secret_withheld(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        secret_withheld = _parse_secret_withheld(d.pop("secret_withheld", UNSET))

        token = d.pop("token", UNSET)

        created_key = cls(
            created_at=created_at,
            created_by=created_by,
            enabled=enabled,
            id=id,
            last4=last4,
            name=name,
            org_id=org_id,
            prefix=prefix,
            project_id=project_id,
            scopes=scopes,
            type_=type_,
            updated_at=updated_at,
            version=version,
            expires_at=expires_at,
            previous_token_valid_until=previous_token_valid_until,
            resources=resources,
            revoked_at=revoked_at,
            secret_withheld=secret_withheld,
            token=token,
        )

        created_key.additional_properties = d
        return created_key

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

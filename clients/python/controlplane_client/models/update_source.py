from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.update_source_connector_type_0 import UpdateSourceConnectorType0


T = TypeVar("T", bound="UpdateSource")


@_attrs_define
class UpdateSource:
    """Fields to change; absent fields keep their value. The kind cannot change.

    Attributes:
        connector (None | Unset | UpdateSourceConnectorType0): The whole configuration of the source's kind.
        credential_ref_id (None | str | Unset):
        display_name (None | str | Unset):
        enabled (bool | None | Unset): `false` pauses it: no scheduled or requested runs.
        owner (None | str | Unset):
    """

    connector: None | Unset | UpdateSourceConnectorType0 = UNSET
    credential_ref_id: None | str | Unset = UNSET
    display_name: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    owner: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.update_source_connector_type_0 import UpdateSourceConnectorType0  # noqa: PLC0415

        connector: dict[str, Any] | None | Unset
        if isinstance(self.connector, Unset):
            connector = UNSET
        elif isinstance(self.connector, UpdateSourceConnectorType0):
            connector = self.connector.to_dict()
        else:
            connector = self.connector

        credential_ref_id: None | str | Unset
        if isinstance(self.credential_ref_id, Unset):
            credential_ref_id = UNSET
        else:
            credential_ref_id = self.credential_ref_id

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if connector is not UNSET:
            field_dict["connector"] = connector
        if credential_ref_id is not UNSET:
            field_dict["credential_ref_id"] = credential_ref_id
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if owner is not UNSET:
            field_dict["owner"] = owner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_source_connector_type_0 import UpdateSourceConnectorType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_connector(data: object) -> None | Unset | UpdateSourceConnectorType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                connector_type_0 = UpdateSourceConnectorType0.from_dict(data)

                return connector_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UpdateSourceConnectorType0, data)

        connector = _parse_connector(d.pop("connector", UNSET))

        def _parse_credential_ref_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credential_ref_id = _parse_credential_ref_id(d.pop("credential_ref_id", UNSET))

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))

        update_source = cls(
            connector=connector,
            credential_ref_id=credential_ref_id,
            display_name=display_name,
            enabled=enabled,
            owner=owner,
        )

        return update_source

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.source_kind import SourceKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_source_connector import CreateSourceConnector


T = TypeVar("T", bound="CreateSource")


@_attrs_define
class CreateSource:
    """
    Attributes:
        connector (CreateSourceConnector): The kind's configuration (see the table of kinds in docs/api.md).
        display_name (str): 1 to 100 characters, not only spaces; no control, bidirectional or invisible characters.
        kind (SourceKind):
        project_id (str):
        credential_ref_id (None | str | Unset):
        enabled (bool | None | Unset): Default `true`.
        owner (None | str | Unset):
    """

    connector: CreateSourceConnector
    display_name: str
    kind: SourceKind
    project_id: str
    credential_ref_id: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    owner: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        connector = self.connector.to_dict()

        display_name = self.display_name

        kind = self.kind.value

        project_id = self.project_id

        credential_ref_id: None | str | Unset
        if isinstance(self.credential_ref_id, Unset):
            credential_ref_id = UNSET
        else:
            credential_ref_id = self.credential_ref_id

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

        field_dict.update(
            {
                "connector": connector,
                "display_name": display_name,
                "kind": kind,
                "project_id": project_id,
            }
        )
        if credential_ref_id is not UNSET:
            field_dict["credential_ref_id"] = credential_ref_id
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if owner is not UNSET:
            field_dict["owner"] = owner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_source_connector import CreateSourceConnector  # noqa: PLC0415

        d = dict(src_dict)
        connector = CreateSourceConnector.from_dict(d.pop("connector"))

        display_name = d.pop("display_name")

        kind = SourceKind(d.pop("kind"))

        project_id = d.pop("project_id")

        def _parse_credential_ref_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credential_ref_id = _parse_credential_ref_id(d.pop("credential_ref_id", UNSET))

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

        create_source = cls(
            connector=connector,
            display_name=display_name,
            kind=kind,
            project_id=project_id,
            credential_ref_id=credential_ref_id,
            enabled=enabled,
            owner=owner,
        )

        return create_source

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.credential_placement_type_0 import CredentialPlacementType0
    from ..models.credential_placement_type_1 import CredentialPlacementType1


T = TypeVar("T", bound="CreateMcpServer")


@_attrs_define
class CreateMcpServer:
    """
    Attributes:
        project_id (str):
        slug (str): A server's short name in its tools' names: lowercase letters, digits and
            single hyphens, starting with a letter (so `__` never occurs in it and a
            namespaced name splits one way only). Example: github.
        url (str): `https://…` (`http://` in local development only), with no credentials or fragment, at most 2048
            characters; the host must resolve to public addresses only.
        credential_placement (CredentialPlacementType0 | CredentialPlacementType1 | None | Unset):
        credential_ref_id (None | str | Unset):
        display_name (None | str | Unset):
        enabled (bool | None | Unset): Default `true`.
    """

    project_id: str
    slug: str
    url: str
    credential_placement: CredentialPlacementType0 | CredentialPlacementType1 | None | Unset = UNSET
    credential_ref_id: None | str | Unset = UNSET
    display_name: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.credential_placement_type_0 import CredentialPlacementType0  # noqa: PLC0415
        from ..models.credential_placement_type_1 import CredentialPlacementType1  # noqa: PLC0415

        project_id = self.project_id

        slug = self.slug

        url = self.url

        credential_placement: dict[str, Any] | None | Unset
        if isinstance(self.credential_placement, Unset):
            credential_placement = UNSET
        elif isinstance(self.credential_placement, CredentialPlacementType0):
            credential_placement = self.credential_placement.to_dict()
        elif isinstance(self.credential_placement, CredentialPlacementType1):
            credential_placement = self.credential_placement.to_dict()
        else:
            credential_placement = self.credential_placement

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "project_id": project_id,
                "slug": slug,
                "url": url,
            }
        )
        if credential_placement is not UNSET:
            field_dict["credential_placement"] = credential_placement
        if credential_ref_id is not UNSET:
            field_dict["credential_ref_id"] = credential_ref_id
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.credential_placement_type_0 import CredentialPlacementType0  # noqa: PLC0415
        from ..models.credential_placement_type_1 import CredentialPlacementType1  # noqa: PLC0415

        d = dict(src_dict)
        project_id = d.pop("project_id")

        slug = d.pop("slug")

        url = d.pop("url")

        def _parse_credential_placement(
            data: object,
        ) -> CredentialPlacementType0 | CredentialPlacementType1 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_credential_placement_type_0 = CredentialPlacementType0.from_dict(data)

                return componentsschemas_credential_placement_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_credential_placement_type_1 = CredentialPlacementType1.from_dict(data)

                return componentsschemas_credential_placement_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CredentialPlacementType0 | CredentialPlacementType1 | None | Unset, data)

        credential_placement = _parse_credential_placement(d.pop("credential_placement", UNSET))

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

        create_mcp_server = cls(
            project_id=project_id,
            slug=slug,
            url=url,
            credential_placement=credential_placement,
            credential_ref_id=credential_ref_id,
            display_name=display_name,
            enabled=enabled,
        )

        return create_mcp_server

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.call_policy_binding import CallPolicyBinding
    from ..models.credential_placement_type_0 import CredentialPlacementType0
    from ..models.credential_placement_type_1 import CredentialPlacementType1


T = TypeVar("T", bound="McpServer")


@_attrs_define
class McpServer:
    """
    Attributes:
        created_at (datetime.datetime):
        created_by (str):
        credential_placement (CredentialPlacementType0 | CredentialPlacementType1): How the stored credential is sent
            upstream.
        display_name (str):
        enabled (bool): `false` hides its tools from agents and stops its calls.
        id (str):
        org_id (str):
        project_id (str):
        slug (str): A server's short name in its tools' names: lowercase letters, digits and
            single hyphens, starting with a letter (so `__` never occurs in it and a
            namespaced name splits one way only). Example: github.
        updated_at (datetime.datetime):
        url (str): The server's streamable HTTP endpoint.
        version (int):
        credential_ref_id (None | str | Unset):
        discovered_at (datetime.datetime | None | Unset): When its tools were last discovered.
        policy_bindings (list[CallPolicyBinding] | Unset): The policies on calls of its tools (at most 20), read with it
            on
            every call.
    """

    created_at: datetime.datetime
    created_by: str
    credential_placement: CredentialPlacementType0 | CredentialPlacementType1
    display_name: str
    enabled: bool
    id: str
    org_id: str
    project_id: str
    slug: str
    updated_at: datetime.datetime
    url: str
    version: int
    credential_ref_id: None | str | Unset = UNSET
    discovered_at: datetime.datetime | None | Unset = UNSET
    policy_bindings: list[CallPolicyBinding] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.credential_placement_type_0 import CredentialPlacementType0  # noqa: PLC0415

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        credential_placement: dict[str, Any]
        if isinstance(self.credential_placement, CredentialPlacementType0):
            credential_placement = self.credential_placement.to_dict()
        else:
            credential_placement = self.credential_placement.to_dict()

        display_name = self.display_name

        enabled = self.enabled

        id = self.id

        org_id = self.org_id

        project_id = self.project_id

        slug = self.slug

        updated_at = self.updated_at.isoformat()

        url = self.url

        version = self.version

        credential_ref_id: None | str | Unset
        if isinstance(self.credential_ref_id, Unset):
            credential_ref_id = UNSET
        else:
            credential_ref_id = self.credential_ref_id

        discovered_at: None | str | Unset
        if isinstance(self.discovered_at, Unset):
            discovered_at = UNSET
        elif isinstance(self.discovered_at, datetime.datetime):
            discovered_at = self.discovered_at.isoformat()
        else:
            discovered_at = self.discovered_at

        policy_bindings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.policy_bindings, Unset):
            policy_bindings = []
            for policy_bindings_item_data in self.policy_bindings:
                policy_bindings_item = policy_bindings_item_data.to_dict()
                policy_bindings.append(policy_bindings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "created_by": created_by,
                "credential_placement": credential_placement,
                "display_name": display_name,
                "enabled": enabled,
                "id": id,
                "org_id": org_id,
                "project_id": project_id,
                "slug": slug,
                "updated_at": updated_at,
                "url": url,
                "version": version,
            }
        )
        if credential_ref_id is not UNSET:
            field_dict["credential_ref_id"] = credential_ref_id
        if discovered_at is not UNSET:
            field_dict["discovered_at"] = discovered_at
        if policy_bindings is not UNSET:
            field_dict["policy_bindings"] = policy_bindings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.call_policy_binding import CallPolicyBinding  # noqa: PLC0415
        from ..models.credential_placement_type_0 import CredentialPlacementType0  # noqa: PLC0415
        from ..models.credential_placement_type_1 import CredentialPlacementType1  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        def _parse_credential_placement(data: object) -> CredentialPlacementType0 | CredentialPlacementType1:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_credential_placement_type_0 = CredentialPlacementType0.from_dict(data)

                return componentsschemas_credential_placement_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_credential_placement_type_1 = CredentialPlacementType1.from_dict(data)

            return componentsschemas_credential_placement_type_1

        credential_placement = _parse_credential_placement(d.pop("credential_placement"))

        display_name = d.pop("display_name")

        enabled = d.pop("enabled")

        id = d.pop("id")

        org_id = d.pop("org_id")

        project_id = d.pop("project_id")

        slug = d.pop("slug")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        url = d.pop("url")

        version = d.pop("version")

        def _parse_credential_ref_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        credential_ref_id = _parse_credential_ref_id(d.pop("credential_ref_id", UNSET))

        def _parse_discovered_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                discovered_at_type_0 = datetime.datetime.fromisoformat(data)

                return discovered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        discovered_at = _parse_discovered_at(d.pop("discovered_at", UNSET))

        _policy_bindings = d.pop("policy_bindings", UNSET)
        policy_bindings: list[CallPolicyBinding] | Unset = UNSET
        if _policy_bindings is not UNSET:
            policy_bindings = []
            for policy_bindings_item_data in _policy_bindings:
                policy_bindings_item = CallPolicyBinding.from_dict(policy_bindings_item_data)

                policy_bindings.append(policy_bindings_item)

        mcp_server = cls(
            created_at=created_at,
            created_by=created_by,
            credential_placement=credential_placement,
            display_name=display_name,
            enabled=enabled,
            id=id,
            org_id=org_id,
            project_id=project_id,
            slug=slug,
            updated_at=updated_at,
            url=url,
            version=version,
            credential_ref_id=credential_ref_id,
            discovered_at=discovered_at,
            policy_bindings=policy_bindings,
        )

        mcp_server.additional_properties = d
        return mcp_server

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

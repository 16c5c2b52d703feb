from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tool_status import ToolStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.pending_definition import PendingDefinition
    from ..models.upstream_tool_definition import UpstreamToolDefinition


T = TypeVar("T", bound="UpstreamTool")


@_attrs_define
class UpstreamTool:
    """
    Attributes:
        changed_at (datetime.datetime):
        definition (UpstreamToolDefinition): The approved definition: name, description, input schema, annotations.
        first_seen_at (datetime.datetime):
        mcp_server_id (str):
        name (str): The name the server gives it (agents see `<slug>__<name>`).
        org_id (str):
        sha256 (str):
        status (ToolStatus):
        version (int):
        pending (None | PendingDefinition | Unset):
    """

    changed_at: datetime.datetime
    definition: UpstreamToolDefinition
    first_seen_at: datetime.datetime
    mcp_server_id: str
    name: str
    org_id: str
    sha256: str
    status: ToolStatus
    version: int
    pending: None | PendingDefinition | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.pending_definition import PendingDefinition  # noqa: PLC0415

        changed_at = self.changed_at.isoformat()

        definition = self.definition.to_dict()

        first_seen_at = self.first_seen_at.isoformat()

        mcp_server_id = self.mcp_server_id

        name = self.name

        org_id = self.org_id

        sha256 = self.sha256

        status = self.status.value

        version = self.version

        pending: dict[str, Any] | None | Unset
        if isinstance(self.pending, Unset):
            pending = UNSET
        elif isinstance(self.pending, PendingDefinition):
            pending = self.pending.to_dict()
        else:
            pending = self.pending

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changed_at": changed_at,
                "definition": definition,
                "first_seen_at": first_seen_at,
                "mcp_server_id": mcp_server_id,
                "name": name,
                "org_id": org_id,
                "sha256": sha256,
                "status": status,
                "version": version,
            }
        )
        if pending is not UNSET:
            field_dict["pending"] = pending

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pending_definition import PendingDefinition  # noqa: PLC0415
        from ..models.upstream_tool_definition import UpstreamToolDefinition  # noqa: PLC0415

        d = dict(src_dict)
        changed_at = datetime.datetime.fromisoformat(d.pop("changed_at"))

        definition = UpstreamToolDefinition.from_dict(d.pop("definition"))

        first_seen_at = datetime.datetime.fromisoformat(d.pop("first_seen_at"))

        mcp_server_id = d.pop("mcp_server_id")

        name = d.pop("name")

        org_id = d.pop("org_id")

        sha256 = d.pop("sha256")

        status = ToolStatus(d.pop("status"))

        version = d.pop("version")

        def _parse_pending(data: object) -> None | PendingDefinition | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                pending_type_0 = PendingDefinition.from_dict(data)

                return pending_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PendingDefinition | Unset, data)

        pending = _parse_pending(d.pop("pending", UNSET))

        upstream_tool = cls(
            changed_at=changed_at,
            definition=definition,
            first_seen_at=first_seen_at,
            mcp_server_id=mcp_server_id,
            name=name,
            org_id=org_id,
            sha256=sha256,
            status=status,
            version=version,
            pending=pending,
        )

        upstream_tool.additional_properties = d
        return upstream_tool

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

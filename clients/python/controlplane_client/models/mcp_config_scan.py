from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="McpConfigScan")


@_attrs_define
class McpConfigScan:
    """`scan.mcp_config`: an uploaded MCP client configuration (JSON with
    `mcpServers`, as Claude Desktop, Cursor and others write it).

        Attributes:
            document (str):
    """

    document: str

    def to_dict(self) -> dict[str, Any]:
        document = self.document

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "document": document,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document = d.pop("document")

        mcp_config_scan = cls(
            document=document,
        )

        return mcp_config_scan

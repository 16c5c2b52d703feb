from enum import StrEnum


class SourceType4Kind(StrEnum):
    SCAN_MCP_CONFIG = "scan.mcp_config"

    def __str__(self) -> str:
        return str(self.value)

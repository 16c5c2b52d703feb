from enum import StrEnum


class KeyType(StrEnum):
    MCP = "mcp"
    PUBLIC = "public"
    SECRET = "secret"
    SERVICE_ROLE = "service_role"

    def __str__(self) -> str:
        return str(self.value)

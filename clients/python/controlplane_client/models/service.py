from enum import StrEnum


class Service(StrEnum):
    API_REQUESTS = "api_requests"
    BANDWIDTH_BYTES = "bandwidth_bytes"
    DB_ROWS = "db_rows"
    FUNCTIONS_INVOCATIONS = "functions_invocations"
    MCP_CALLS = "mcp_calls"
    STORAGE_BYTES = "storage_bytes"

    def __str__(self) -> str:
        return str(self.value)

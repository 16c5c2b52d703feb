from enum import StrEnum


class SourceKind(StrEnum):
    CONNECTOR_CLOUD_READ_ONLY = "connector.cloud_read_only"
    CONNECTOR_REGISTRY = "connector.registry"
    CONNECTOR_WAREHOUSE = "connector.warehouse"
    INGEST_ARTIFACT_IMPORT = "ingest.artifact_import"
    INGEST_FLEET_SYNC = "ingest.fleet_sync"
    INGEST_RESULT_PUSH = "ingest.result_push"
    INGEST_TRACE_PUSH = "ingest.trace_push"
    RUNTIME_GATEWAY = "runtime.gateway"
    RUNTIME_PROXY = "runtime.proxy"
    SCAN_CLOUD = "scan.cloud"
    SCAN_IAC = "scan.iac"
    SCAN_IMAGE = "scan.image"
    SCAN_MCP_CONFIG = "scan.mcp_config"
    SCAN_REPO = "scan.repo"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class JobType(StrEnum):
    CHECK_USAGE_LIMITS = "check_usage_limits"
    DELIVER_WEBHOOK = "deliver_webhook"
    DEPROVISION_PROJECT = "deprovision_project"
    DISCOVER_MCP_SERVER = "discover_mcp_server"
    EXPORT_AUDIT = "export_audit"
    EXPORT_BACKUP = "export_backup"
    PROVISION_PROJECT = "provision_project"
    ROTATE_KEY = "rotate_key"
    RUN_SOURCE = "run_source"
    TEST_CREDENTIAL = "test_credential"
    TEST_SOURCE = "test_source"

    def __str__(self) -> str:
        return str(self.value)

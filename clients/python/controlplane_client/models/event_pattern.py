from enum import StrEnum


class EventPattern(StrEnum):
    BUDGET = "budget.*"
    BUDGET_THRESHOLD_CROSSED = "budget.threshold_crossed"
    FILE = "file.*"
    FILE_UPLOADED = "file.uploaded"
    JOB = "job.*"
    JOB_COMPLETED = "job.completed"
    JOB_FAILED = "job.failed"
    KEY = "key.*"
    KEY_CREATED = "key.created"
    KEY_REVOKED = "key.revoked"
    KEY_ROTATED = "key.rotated"
    MCP = "mcp.*"
    MCP_TOOL_CHANGED = "mcp.tool_changed"
    MEMBER = "member.*"
    MEMBER_ADDED = "member.added"
    MEMBER_REMOVED = "member.removed"
    PROJECT = "project.*"
    PROJECT_CREATED = "project.created"
    PROJECT_DELETED = "project.deleted"
    PROJECT_UPDATED = "project.updated"
    QUOTA = "quota.*"
    QUOTA_EXCEEDED = "quota.exceeded"
    QUOTA_WARNING = "quota.warning"
    SOURCE = "source.*"
    SOURCE_RUN = "source.run.*"
    SOURCE_RUN_COMPLETED = "source.run.completed"
    USER = "user.*"
    USER_SIGNEDUP = "user.signedup"
    VALUE_0 = "*"
    WEBHOOK = "webhook.*"
    WEBHOOK_DISABLED = "webhook.disabled"

    def __str__(self) -> str:
        return str(self.value)

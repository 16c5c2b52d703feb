from enum import StrEnum


class Permission(StrEnum):
    AUDITREAD = "audit:read"
    CREDENTIALSMANAGE = "credentials:manage"
    INGESTPUSH = "ingest:push"
    JOBSMANAGE = "jobs:manage"
    JOBSREAD = "jobs:read"
    KEYSMANAGE = "keys:manage"
    MCPMANAGE = "mcp:manage"
    MCPUSE = "mcp:use"
    MEMBERSMANAGE = "members:manage"
    MEMBERSREAD = "members:read"
    ORGREAD = "org:read"
    ORGUPDATE = "org:update"
    PROJECTSREAD = "projects:read"
    PROJECTSREAD_DELETED = "projects:read_deleted"
    PROJECTSWRITE = "projects:write"
    QUOTASWRITE = "quotas:write"
    ROLESMANAGE = "roles:manage"
    SOURCESREAD = "sources:read"
    SOURCESRUN = "sources:run"
    SOURCESWRITE = "sources:write"
    USAGEREAD = "usage:read"
    WEBHOOKSMANAGE = "webhooks:manage"

    def __str__(self) -> str:
        return str(self.value)

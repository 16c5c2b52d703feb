from enum import StrEnum


class ProjectStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"
    DELETED = "deleted"
    FAILED = "failed"
    PROVISIONING = "provisioning"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class ToolStatus(StrEnum):
    ACTIVE = "active"
    QUARANTINED = "quarantined"
    REMOVED = "removed"

    def __str__(self) -> str:
        return str(self.value)

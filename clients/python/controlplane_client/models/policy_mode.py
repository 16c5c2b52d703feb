from enum import StrEnum


class PolicyMode(StrEnum):
    AUDIT = "audit"
    ENFORCE = "enforce"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class CallPolicyMode(StrEnum):
    AUDIT = "audit"
    DENY = "deny"
    ENFORCE = "enforce"

    def __str__(self) -> str:
        return str(self.value)

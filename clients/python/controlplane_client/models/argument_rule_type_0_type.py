from enum import StrEnum


class ArgumentRuleType0Type(StrEnum):
    PATTERN = "pattern"

    def __str__(self) -> str:
        return str(self.value)

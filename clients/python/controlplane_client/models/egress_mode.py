from enum import StrEnum


class EgressMode(StrEnum):
    AUDIT = "audit"
    OFF = "off"
    STRICT = "strict"

    def __str__(self) -> str:
        return str(self.value)

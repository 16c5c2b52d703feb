from enum import StrEnum


class SourceConfigType13Kind(StrEnum):
    RUNTIME_GATEWAY = "runtime.gateway"

    def __str__(self) -> str:
        return str(self.value)

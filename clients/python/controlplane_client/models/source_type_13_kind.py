from enum import StrEnum


class SourceType13Kind(StrEnum):
    RUNTIME_GATEWAY = "runtime.gateway"

    def __str__(self) -> str:
        return str(self.value)

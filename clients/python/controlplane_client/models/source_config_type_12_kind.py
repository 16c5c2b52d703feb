from enum import StrEnum


class SourceConfigType12Kind(StrEnum):
    RUNTIME_PROXY = "runtime.proxy"

    def __str__(self) -> str:
        return str(self.value)

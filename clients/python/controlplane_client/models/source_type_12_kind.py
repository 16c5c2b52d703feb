from enum import StrEnum


class SourceType12Kind(StrEnum):
    RUNTIME_PROXY = "runtime.proxy"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class SourceType9Kind(StrEnum):
    INGEST_TRACE_PUSH = "ingest.trace_push"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class SourceConfigType9Kind(StrEnum):
    INGEST_TRACE_PUSH = "ingest.trace_push"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class SourceType10Kind(StrEnum):
    INGEST_RESULT_PUSH = "ingest.result_push"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class SourceType11Kind(StrEnum):
    INGEST_ARTIFACT_IMPORT = "ingest.artifact_import"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class SourceConfigType8Kind(StrEnum):
    INGEST_FLEET_SYNC = "ingest.fleet_sync"

    def __str__(self) -> str:
        return str(self.value)

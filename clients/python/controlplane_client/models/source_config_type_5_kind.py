from enum import StrEnum


class SourceConfigType5Kind(StrEnum):
    CONNECTOR_CLOUD_READ_ONLY = "connector.cloud_read_only"

    def __str__(self) -> str:
        return str(self.value)

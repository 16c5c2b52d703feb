from enum import StrEnum


class SourceType7Kind(StrEnum):
    CONNECTOR_WAREHOUSE = "connector.warehouse"

    def __str__(self) -> str:
        return str(self.value)

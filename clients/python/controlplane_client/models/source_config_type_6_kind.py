from enum import StrEnum


class SourceConfigType6Kind(StrEnum):
    CONNECTOR_REGISTRY = "connector.registry"

    def __str__(self) -> str:
        return str(self.value)

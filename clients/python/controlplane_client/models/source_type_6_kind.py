from enum import StrEnum


class SourceType6Kind(StrEnum):
    CONNECTOR_REGISTRY = "connector.registry"

    def __str__(self) -> str:
        return str(self.value)

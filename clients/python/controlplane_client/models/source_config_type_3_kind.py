from enum import StrEnum


class SourceConfigType3Kind(StrEnum):
    SCAN_CLOUD = "scan.cloud"

    def __str__(self) -> str:
        return str(self.value)

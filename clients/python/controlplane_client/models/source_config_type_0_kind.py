from enum import StrEnum


class SourceConfigType0Kind(StrEnum):
    SCAN_REPO = "scan.repo"

    def __str__(self) -> str:
        return str(self.value)

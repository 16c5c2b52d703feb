from enum import StrEnum


class SourceType0Kind(StrEnum):
    SCAN_REPO = "scan.repo"

    def __str__(self) -> str:
        return str(self.value)

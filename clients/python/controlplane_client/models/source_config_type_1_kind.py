from enum import StrEnum


class SourceConfigType1Kind(StrEnum):
    SCAN_IMAGE = "scan.image"

    def __str__(self) -> str:
        return str(self.value)

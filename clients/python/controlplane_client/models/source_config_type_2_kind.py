from enum import StrEnum


class SourceConfigType2Kind(StrEnum):
    SCAN_IAC = "scan.iac"

    def __str__(self) -> str:
        return str(self.value)

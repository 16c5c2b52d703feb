from enum import StrEnum


class ExecProfilesSetXAPIVersion(StrEnum):
    VALUE_0 = "2026-11-01"

    def __str__(self) -> str:
        return str(self.value)

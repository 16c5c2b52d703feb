from enum import StrEnum


class TokenSource(StrEnum):
    APPROXIMATED = "approximated"
    COUNTED = "counted"
    GIVEN = "given"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class Strategy(StrEnum):
    DROP = "drop"
    HASH = "hash"
    MASK = "mask"

    def __str__(self) -> str:
        return str(self.value)

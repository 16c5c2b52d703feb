from enum import StrEnum


class ProfileOrigin(StrEnum):
    ORG = "org"
    SHIPPED = "shipped"

    def __str__(self) -> str:
        return str(self.value)

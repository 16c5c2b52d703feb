from enum import StrEnum


class CredentialPlacementType0Type(StrEnum):
    BEARER = "bearer"

    def __str__(self) -> str:
        return str(self.value)

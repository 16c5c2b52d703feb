from enum import StrEnum


class CredentialPlacementType1Type(StrEnum):
    HEADER = "header"

    def __str__(self) -> str:
        return str(self.value)

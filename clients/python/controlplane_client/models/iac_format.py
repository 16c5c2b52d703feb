from enum import StrEnum


class IacFormat(StrEnum):
    CLOUDFORMATION = "cloudformation"
    TERRAFORM = "terraform"

    def __str__(self) -> str:
        return str(self.value)

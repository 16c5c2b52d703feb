from enum import StrEnum


class CredentialKind(StrEnum):
    AWS_ROLE = "aws_role"
    BASIC = "basic"
    REGISTRY = "registry"
    TOKEN = "token"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class AuthMethod(StrEnum):
    API_KEY = "api_key"
    DEVELOPMENT = "development"
    OIDC = "oidc"

    def __str__(self) -> str:
        return str(self.value)

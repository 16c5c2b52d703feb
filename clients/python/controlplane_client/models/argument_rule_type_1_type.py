from enum import StrEnum


class ArgumentRuleType1Type(StrEnum):
    PATH_ALLOW_LIST = "path_allow_list"

    def __str__(self) -> str:
        return str(self.value)

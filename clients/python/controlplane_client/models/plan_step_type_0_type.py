from enum import StrEnum


class PlanStepType0Type(StrEnum):
    MODEL = "model"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class PriceSource(StrEnum):
    FEE_ONLY = "fee_only"
    STEP = "step"
    TABLE = "table"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class InvoiceLineKind(StrEnum):
    ADJUSTMENT = "adjustment"
    ORDER = "order"
    USAGE = "usage"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class InvoiceStatus(StrEnum):
    CLOSED = "closed"
    DRAFT = "draft"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class InvoiceSummaryStatus(StrEnum):
    CLOSED = "closed"
    DRAFT = "draft"

    def __str__(self) -> str:
        return str(self.value)

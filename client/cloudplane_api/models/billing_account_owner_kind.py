from enum import StrEnum


class BillingAccountOwnerKind(StrEnum):
    TEAM = "team"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)

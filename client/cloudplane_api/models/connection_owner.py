from enum import StrEnum


class ConnectionOwner(StrEnum):
    JOB = "job"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class ConnectionSystem(StrEnum):
    AFFINITY = "affinity"
    ATTIO = "attio"

    def __str__(self) -> str:
        return str(self.value)

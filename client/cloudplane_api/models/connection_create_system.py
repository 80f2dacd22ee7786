from enum import StrEnum


class ConnectionCreateSystem(StrEnum):
    AFFINITY = "affinity"
    ATTIO = "attio"

    def __str__(self) -> str:
        return str(self.value)

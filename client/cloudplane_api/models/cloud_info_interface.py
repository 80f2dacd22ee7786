from enum import StrEnum


class CloudInfoInterface(StrEnum):
    ADMIN = "admin"
    INTERNAL = "internal"
    PUBLIC = "public"

    def __str__(self) -> str:
        return str(self.value)

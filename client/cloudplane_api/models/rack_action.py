from enum import StrEnum


class RackAction(StrEnum):
    DESTROY = "destroy"
    RESUME = "resume"
    SUSPEND = "suspend"

    def __str__(self) -> str:
        return str(self.value)

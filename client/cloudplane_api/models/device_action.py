from enum import StrEnum


class DeviceAction(StrEnum):
    DESTROY = "destroy"
    OFF = "off"
    ON = "on"
    RESUME = "resume"
    SUSPEND = "suspend"

    def __str__(self) -> str:
        return str(self.value)

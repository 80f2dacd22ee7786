from enum import StrEnum


class ConnectionTestReasonType0(StrEnum):
    API_ERROR = "API_ERROR"
    ENDPOINT_NOT_ALLOWED = "ENDPOINT_NOT_ALLOWED"
    RATE_LIMITED = "RATE_LIMITED"
    UNAUTHORIZED = "UNAUTHORIZED"
    UNREACHABLE = "UNREACHABLE"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class ServerTestReasonType0(StrEnum):
    API_ERROR = "API_ERROR"
    BAD_CATALOG = "BAD_CATALOG"
    BAD_CREDENTIALS = "BAD_CREDENTIALS"
    ENDPOINT_NOT_ALLOWED = "ENDPOINT_NOT_ALLOWED"
    FORBIDDEN = "FORBIDDEN"
    TIMEOUT = "TIMEOUT"
    TLS_ERROR = "TLS_ERROR"
    UNAUTHORIZED = "UNAUTHORIZED"
    UNREACHABLE = "UNREACHABLE"

    def __str__(self) -> str:
        return str(self.value)

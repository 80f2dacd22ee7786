from enum import StrEnum


class CloudInfoAuthMethod(StrEnum):
    APPLICATION_CREDENTIAL = "application_credential"
    PASSWORD = "password"

    def __str__(self) -> str:
        return str(self.value)

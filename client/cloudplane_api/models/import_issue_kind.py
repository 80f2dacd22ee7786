from enum import StrEnum


class ImportIssueKind(StrEnum):
    SERVER = "server"
    TEMPLATE = "template"

    def __str__(self) -> str:
        return str(self.value)

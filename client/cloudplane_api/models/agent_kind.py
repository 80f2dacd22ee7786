from enum import StrEnum


class AgentKind(StrEnum):
    AZURE_OPENAI = "azure_openai"
    OPENAI = "openai"

    def __str__(self) -> str:
        return str(self.value)

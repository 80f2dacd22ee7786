from enum import StrEnum


class AgentPatchKindType0(StrEnum):
    AZURE_OPENAI = "azure_openai"
    OPENAI = "openai"

    def __str__(self) -> str:
        return str(self.value)

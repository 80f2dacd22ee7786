from enum import StrEnum


class SealedCredentialsKind(StrEnum):
    KUBECONFIG = "kubeconfig"
    TOKEN = "token"

    def __str__(self) -> str:
        return str(self.value)

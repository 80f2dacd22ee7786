from enum import StrEnum


class SealedCredentialsKind(StrEnum):
    CLOUD = "cloud"
    KUBECONFIG = "kubeconfig"
    TOKEN = "token"

    def __str__(self) -> str:
        return str(self.value)

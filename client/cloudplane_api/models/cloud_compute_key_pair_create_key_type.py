from enum import StrEnum


class CloudComputeKeyPairCreateKeyType(StrEnum):
    SSH = "ssh"
    X509 = "x509"

    def __str__(self) -> str:
        return str(self.value)

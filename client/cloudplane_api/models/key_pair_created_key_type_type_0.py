from enum import StrEnum


class KeyPairCreatedKeyTypeType0(StrEnum):
    SSH = "ssh"
    X509 = "x509"

    def __str__(self) -> str:
        return str(self.value)

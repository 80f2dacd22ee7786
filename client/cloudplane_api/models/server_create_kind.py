from enum import StrEnum


class ServerCreateKind(StrEnum):
    KUBERNETES = "kubernetes"
    OPENSTACK = "openstack"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class ServerKind(StrEnum):
    KUBERNETES = "kubernetes"
    OPENSTACK = "openstack"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class ServerUpdateKind(StrEnum):
    KUBERNETES = "kubernetes"
    OPENSTACK = "openstack"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class UsageRecordKind(StrEnum):
    CPU_HOURS = "cpu_hours"
    FLAVOR_HOURS = "flavor_hours"
    GPU_HOURS = "gpu_hours"
    MEMORY_GIB_HOURS = "memory_gib_hours"
    STORAGE_GIB_HOURS = "storage_gib_hours"

    def __str__(self) -> str:
        return str(self.value)

"""The ``migration`` job's configuration (seed 003's fields plus objects, mapping and matching).

``source_config`` and ``target_config`` name a connection (``{"connection_id": ...}``), or carry
seed 003's inline credentials (``{"api_key": ..., "base_url": ..., "workspace_id": ...}``), which
the job type seals into a connection owned by the job before anything is stored: the stored
configuration only ever holds the connection's id. A dataset source names an uploaded dataset
(``{"dataset_id": ...}``). ``api_key`` is a ``SecretStr``, so even a dump of the model shows no key.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, SecretStr, model_validator

from shared.models.base import ApiModel
from shared.models.common import AddressableId

SLUG_PATTERN = r"^[a-z][a-z0-9_]{0,62}$"
FIELD_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]{0,99}$"


class EndpointConfig(ApiModel):
    """Exactly one of ``connection_id``, ``api_key`` (inline credentials) or ``dataset_id``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    connection_id: AddressableId | None = Field(None, description="A connection of yours (POST /api/v1/connections).")
    api_key: SecretStr | None = Field(
        None, min_length=1, max_length=4096, description="Inline credentials: sealed into a job-owned connection."
    )
    base_url: str | None = Field(None, max_length=2048, description="With api_key: the API's base URL.")
    workspace_id: str | None = Field(None, min_length=1, max_length=200, description="With api_key, for Attio.")
    dataset_id: AddressableId | None = Field(None, description="An uploaded dataset (source_system: dataset).")

    @model_validator(mode="after")
    def _one_kind(self) -> EndpointConfig:
        given = [name for name in ("connection_id", "api_key", "dataset_id") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of connection_id, api_key (inline credentials) or dataset_id")
        if self.api_key is None and (self.base_url is not None or self.workspace_id is not None):
            raise ValueError("base_url and workspace_id go with inline api_key only")
        return self


class RetryPolicyConfig(ApiModel):
    """How a batch retries calls that fail for a while (``5xx``, timeouts); ``429`` waits do not count."""

    model_config = ConfigDict(extra="forbid")

    max_retries: int = Field(3, ge=0, le=10, description="Retries of one call after a 5xx or a timeout.")
    backoff_seconds: float = Field(1.0, ge=0, le=60, description="The first retry's wait; doubles each retry.")
    max_backoff_seconds: float = Field(30.0, ge=0, le=600, description="No wait is longer.")
    timeout_seconds: float = Field(30.0, ge=1, le=120, description="One call's read timeout.")


class RelationMapping(ApiModel):
    model_config = ConfigDict(extra="forbid")

    object: str = Field(pattern=SLUG_PATTERN, description="The source object the field's ids point at.")
    attribute: str = Field(pattern=SLUG_PATTERN, description="The target's record-reference attribute.")


class ObjectMapping(ApiModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(pattern=SLUG_PATTERN, description="The target object (e.g. people, companies).")
    fields: dict[str, str] = Field(
        min_length=1,
        max_length=100,
        description="Source field -> target attribute (``name.first_name`` writes a part of a composite value).",
        json_schema_extra={
            "propertyNames": {"pattern": FIELD_PATTERN},
            "additionalProperties": {"type": "string", "pattern": FIELD_PATTERN},
        },
    )
    relations: dict[str, RelationMapping] = Field(
        default_factory=dict,
        max_length=20,
        description="Source field holding ids of other source records -> a reference to their target record.",
        json_schema_extra={"propertyNames": {"pattern": FIELD_PATTERN}},
    )

    @model_validator(mode="after")
    def _names(self) -> ObjectMapping:
        import re

        for name in [*self.fields, *self.fields.values(), *self.relations]:
            if not re.fullmatch(FIELD_PATTERN, name):
                raise ValueError("field and attribute names are letters, digits, '_', '.' and '-'")
        return self


class MigrationConfig(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source_system: str = Field(min_length=1, max_length=50, examples=["affinity"])
    target_system: str = Field(min_length=1, max_length=50, examples=["attio"])
    source_config: EndpointConfig
    target_config: EndpointConfig
    batch_size: int = Field(1000, ge=100, le=10_000, description="Source records per batch.")
    retry_policy: RetryPolicyConfig = Field(default_factory=RetryPolicyConfig)
    objects: list[str] | None = Field(
        None,
        min_length=1,
        max_length=10,
        description="Source objects to move, in order (default: the source's, e.g. organizations then persons).",
        json_schema_extra={"items": {"type": "string", "pattern": SLUG_PATTERN}},
    )
    mapping: dict[str, ObjectMapping] = Field(
        default_factory=dict,
        max_length=10,
        description="Per source object (default: built in for persons and organizations).",
        json_schema_extra={"propertyNames": {"pattern": SLUG_PATTERN}},
    )
    matching_attribute: dict[str, str] = Field(
        default_factory=dict,
        max_length=10,
        description="Per target object: the unique attribute asserts match on "
        "(default: email_addresses for people, domains for companies).",
        json_schema_extra={
            "propertyNames": {"pattern": SLUG_PATTERN},
            "additionalProperties": {"type": "string", "pattern": SLUG_PATTERN},
        },
    )
    dry_run: bool = Field(False, description="Read and map everything, write nothing; report what would change.")

    @model_validator(mode="after")
    def _slugs(self) -> MigrationConfig:
        import re

        names = [*(self.objects or []), *self.mapping, *self.matching_attribute, *self.matching_attribute.values()]
        if any(not re.fullmatch(SLUG_PATTERN, name) for name in names):
            raise ValueError("object and attribute names are lower-case letters, digits and '_'")
        return self

"""Request bodies of Concertim's OpenStack-service paths (seed 004), served under ``/api/concertim/``.

Field names are the seed's (and Concertim's UI's), so its requests validate unchanged. Every body
carries the cloud credentials as ``cloud_env``; unknown fields there are refused (a misspelt
credential is never silently dropped), while unknown top-level fields are ignored, as Concertim's
service ignored them (its UI sends a few, such as ``project_id`` on a team retry). Passwords are
``SecretStr``: never in a ``repr``, a log line or a validation error.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

_NAME = Field(min_length=1, max_length=255)
_ID = Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9_.:-]+$")


class CloudEnv(BaseModel):
    """Keystone credentials: ``username`` or ``user_id``, ``project_name`` or ``project_id`` (v3 password auth)."""

    model_config = ConfigDict(extra="forbid")

    auth_url: str = Field(min_length=1, max_length=2048, examples=["https://keystone.example.org:5000/v3"])
    username: str | None = Field(None, min_length=1, max_length=255)
    user_id: str | None = Field(None, min_length=1, max_length=255)
    password: SecretStr = Field(min_length=1, max_length=4096)
    project_name: str | None = Field(None, min_length=1, max_length=255)
    project_id: str | None = Field(None, min_length=1, max_length=255)
    user_domain_name: str | None = Field(None, min_length=1, max_length=255)
    project_domain_name: str | None = Field(None, min_length=1, max_length=255)

    @model_validator(mode="after")
    def _who_and_where(self) -> CloudEnv:
        if not (self.username or self.user_id):
            raise ValueError("cloud_env needs username or user_id")
        if not (self.project_name or self.project_id):
            raise ValueError("cloud_env needs project_name or project_id")
        return self


class ConcertimBody(BaseModel):
    """What every cloud route's body holds: the credentials."""

    model_config = ConfigDict(extra="ignore")

    cloud_env: CloudEnv


class OptionalCloudEnv(BaseModel):
    """``GET /team/{project_id}/quotas``: Concertim's UI sends no body (its service used its own admin
    credentials); without ``cloud_env`` the tenant's registered OpenStack cloud answers."""

    model_config = ConfigDict(extra="ignore")

    cloud_env: CloudEnv | None = None


class UserCreate(ConcertimBody):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@+-]+$")
    name: str | None = Field(None, max_length=255)
    email: str | None = Field(None, max_length=255)
    password: SecretStr = Field(min_length=1, max_length=4096)


class UserChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(None, min_length=3, max_length=255)
    password: SecretStr | None = Field(None, min_length=1, max_length=4096)


class UserInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")

    cloud_user_id: str = _ID


class UserUpdateInfo(UserInfo):
    new_data: UserChanges

    @model_validator(mode="after")
    def _something(self) -> UserUpdateInfo:
        if self.new_data.email is None and self.new_data.password is None:
            raise ValueError("new_data needs email or password")
        return self


class UserUpdate(ConcertimBody):
    user_info: UserUpdateInfo


class UserDelete(ConcertimBody):
    user_info: UserInfo


class TeamCreate(ConcertimBody):
    name: str = _NAME
    project_id: str | None = Field(
        None,
        max_length=255,
        description="Sent by Concertim's UI when it retries: a team already made with this name is answered again.",
    )


class TeamInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")

    project_id: str = _ID
    billing_acct_id: str | None = Field(None, max_length=255)


class TeamDelete(ConcertimBody):
    team_info: TeamInfo


class TeamRoleSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")

    project_id: str = _ID
    user_id: str = _ID
    role: str = _NAME


class TeamRoleChange(BaseModel):
    model_config = ConfigDict(extra="ignore")

    project_id: str = _ID
    user_id: str = _ID
    current_role: str = _NAME
    new_role: str = _NAME


class TeamRole(ConcertimBody):
    team_role: TeamRoleSpec


class TeamRoleUpdate(ConcertimBody):
    team_role: TeamRoleChange


class KeyPairSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9_. -]+$")
    key_type: Literal["ssh", "x509"] = "ssh"
    public_key: str | None = Field(None, max_length=16384)


class KeyPairCreate(ConcertimBody):
    key_pair: KeyPairSpec


class KeyPairDelete(ConcertimBody):
    keypair_name: str = Field(min_length=1, max_length=255)


class StatusUpdate(ConcertimBody):
    action: str = Field(min_length=1, max_length=32, examples=["off"])


# ---------------------------------------------------------------- billing (no cloud_env)

_BILLING_ID = Field(None, min_length=1, max_length=255, pattern=r"^[A-Za-z0-9_.:-]+$")


class _BillingPart(BaseModel):
    """One wrapper of a billing body (``{"invoice": {...}}``); further keys are kept (and ignored)."""

    model_config = ConfigDict(extra="allow")

    billing_acct_id: str | None = _BILLING_ID


class _BillingBody(BaseModel):
    """A billing body: the seed's wrapper, or its keys at the top level (Concertim's service found a
    key at any depth; so does ``ConcertimBilling``). Unknown top-level keys are ignored."""

    model_config = ConfigDict(extra="allow")


class InvoiceRef(_BillingPart):
    invoice_id: str | None = _BILLING_ID


class InvoiceRequest(_BillingBody):
    """``get_draft_invoice`` (``billing_acct_id``) and ``get_account_invoice`` (and ``invoice_id``)."""

    invoice: InvoiceRef | None = None


class InvoicePageRef(_BillingPart):
    offset: int | None = Field(None, ge=0)
    limit: int | None = Field(None, ge=1, le=100)


class InvoicePageRequest(_BillingBody):
    invoices: InvoicePageRef | None = None


class CreditsRef(_BillingPart):
    amount: float | str | None = Field(None, description="Major units (12.5 is 12.50), whole minor units.")
    reference: str | None = Field(None, min_length=1, max_length=100, description="The same one twice adds once.")


class CreditsRequest(_BillingBody):
    """``credits`` (``billing_acct_id``, ``amount``) and ``get_credits`` (``billing_acct_id``)."""

    credits: CreditsRef | None = None


class OrderRef(_BillingPart):
    order_id: str | None = _BILLING_ID
    cluster_id: str | None = Field(None, min_length=1, max_length=255, description="The resource ordered.")
    plan: str | None = Field(None, min_length=1, max_length=64, examples=["standard"])


class OrderRequest(_BillingBody):
    """``create_order`` (``billing_acct_id``, ``cluster_id``, ``plan``) and ``delete_order`` (``order_id``)."""

    order: OrderRef | None = None


class TagRef(_BillingPart):
    order_id: str | None = _BILLING_ID
    tag_name: str | None = Field(None, min_length=1, max_length=64)
    tag_value: str | None = Field(None, min_length=1, max_length=128)


class TagRequest(_BillingBody):
    tag: TagRef | None = None


class ConcertimError(BaseModel):
    """Seed 004's failure: ``success: false``, a code as ``error`` and the text as ``message`` (what
    Concertim's UI shows), plus the status, details and request id. Never a traceback or a header."""

    success: Literal[False] = False
    error: str
    message: str
    status_code: int
    details: dict[str, object] = Field(default_factory=dict)
    request_id: str

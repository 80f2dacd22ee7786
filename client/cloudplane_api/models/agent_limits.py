from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentLimits")


@_attrs_define
class AgentLimits:
    """
    Attributes:
        max_concurrent_calls (int | Unset): Calls in flight at once, across every instance. Default: 4.
        requests_per_minute (int | Unset): Calls per minute across every instance. Default: 60.
        tokens_per_minute (int | None | Unset): Tokens (prompt + completion) per minute across every instance.
        token_budget_per_job (int | None | Unset): Tokens one job may spend; rows past it fail with the reason.
    """

    max_concurrent_calls: int | Unset = 4
    requests_per_minute: int | Unset = 60
    tokens_per_minute: int | None | Unset = UNSET
    token_budget_per_job: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_concurrent_calls = self.max_concurrent_calls

        requests_per_minute = self.requests_per_minute

        tokens_per_minute: int | None | Unset
        if isinstance(self.tokens_per_minute, Unset):
            tokens_per_minute = UNSET
        else:
            tokens_per_minute = self.tokens_per_minute

        token_budget_per_job: int | None | Unset
        if isinstance(self.token_budget_per_job, Unset):
            token_budget_per_job = UNSET
        else:
            token_budget_per_job = self.token_budget_per_job

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if max_concurrent_calls is not UNSET:
            field_dict["max_concurrent_calls"] = max_concurrent_calls
        if requests_per_minute is not UNSET:
            field_dict["requests_per_minute"] = requests_per_minute
        if tokens_per_minute is not UNSET:
            field_dict["tokens_per_minute"] = tokens_per_minute
        if token_budget_per_job is not UNSET:
            field_dict["token_budget_per_job"] = token_budget_per_job

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        max_concurrent_calls = d.pop("max_concurrent_calls", UNSET)

        requests_per_minute = d.pop("requests_per_minute", UNSET)

        def _parse_tokens_per_minute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        tokens_per_minute = _parse_tokens_per_minute(d.pop("tokens_per_minute", UNSET))

        def _parse_token_budget_per_job(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        token_budget_per_job = _parse_token_budget_per_job(
            d.pop("token_budget_per_job", UNSET)
        )

        agent_limits = cls(
            max_concurrent_calls=max_concurrent_calls,
            requests_per_minute=requests_per_minute,
            tokens_per_minute=tokens_per_minute,
            token_budget_per_job=token_budget_per_job,
        )

        return agent_limits

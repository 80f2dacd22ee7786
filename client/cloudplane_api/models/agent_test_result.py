from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentTestResult")


@_attrs_define
class AgentTestResult:
    """
    Attributes:
        ok (bool):
        latency_ms (int):
        reply (None | str | Unset): The agent's answer (first 2,000 characters).
        tokens (int | Unset):  Default: 0.
        error (None | str | Unset): Why the call failed (status or reason; never the key).
    """

    ok: bool
    latency_ms: int
    reply: None | str | Unset = UNSET
    tokens: int | Unset = 0
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        latency_ms = self.latency_ms

        reply: None | str | Unset
        if isinstance(self.reply, Unset):
            reply = UNSET
        else:
            reply = self.reply

        tokens = self.tokens

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "latency_ms": latency_ms,
            }
        )
        if reply is not UNSET:
            field_dict["reply"] = reply
        if tokens is not UNSET:
            field_dict["tokens"] = tokens
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        latency_ms = d.pop("latency_ms")

        def _parse_reply(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reply = _parse_reply(d.pop("reply", UNSET))

        tokens = d.pop("tokens", UNSET)

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        agent_test_result = cls(
            ok=ok,
            latency_ms=latency_ms,
            reply=reply,
            tokens=tokens,
            error=error,
        )

        agent_test_result.additional_properties = d
        return agent_test_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

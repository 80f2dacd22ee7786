from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentTestBody")


@_attrs_define
class AgentTestBody:
    """
    Attributes:
        prompt (str | Unset):  Default: 'Reply with the word ok.'.
    """

    prompt: str | Unset = "Reply with the word ok."

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if prompt is not UNSET:
            field_dict["prompt"] = prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt", UNSET)

        agent_test_body = cls(
            prompt=prompt,
        )

        return agent_test_body

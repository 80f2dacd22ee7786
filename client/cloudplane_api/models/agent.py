from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agent_kind import AgentKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_limits import AgentLimits


T = TypeVar("T", bound="Agent")


@_attrs_define
class Agent:
    """A registered agent as the API shows it (never its key).

    Attributes:
        id (str):
        name (str):
        kind (AgentKind):
        endpoint (str):
        model (str):
        has_api_key (bool):
        system_prompt (str):
        temperature (float):
        max_tokens (int):
        limits (AgentLimits):
        default (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        api_version (None | str | Unset):
    """

    id: str
    name: str
    kind: AgentKind
    endpoint: str
    model: str
    has_api_key: bool
    system_prompt: str
    temperature: float
    max_tokens: int
    limits: AgentLimits
    default: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    api_version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        kind = self.kind.value

        endpoint = self.endpoint

        model = self.model

        has_api_key = self.has_api_key

        system_prompt = self.system_prompt

        temperature = self.temperature

        max_tokens = self.max_tokens

        limits = self.limits.to_dict()

        default = self.default

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        api_version: None | str | Unset
        if isinstance(self.api_version, Unset):
            api_version = UNSET
        else:
            api_version = self.api_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "kind": kind,
                "endpoint": endpoint,
                "model": model,
                "has_api_key": has_api_key,
                "system_prompt": system_prompt,
                "temperature": temperature,
                "max_tokens": max_tokens,
                "limits": limits,
                "default": default,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if api_version is not UNSET:
            field_dict["api_version"] = api_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_limits import AgentLimits  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        kind = AgentKind(d.pop("kind"))

        endpoint = d.pop("endpoint")

        model = d.pop("model")

        has_api_key = d.pop("has_api_key")

        system_prompt = d.pop("system_prompt")

        temperature = d.pop("temperature")

        max_tokens = d.pop("max_tokens")

        limits = AgentLimits.from_dict(d.pop("limits"))

        default = d.pop("default")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_api_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_version = _parse_api_version(d.pop("api_version", UNSET))

        agent = cls(
            id=id,
            name=name,
            kind=kind,
            endpoint=endpoint,
            model=model,
            has_api_key=has_api_key,
            system_prompt=system_prompt,
            temperature=temperature,
            max_tokens=max_tokens,
            limits=limits,
            default=default,
            created_at=created_at,
            updated_at=updated_at,
            api_version=api_version,
        )

        agent.additional_properties = d
        return agent

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

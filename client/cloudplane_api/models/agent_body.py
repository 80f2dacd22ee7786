from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.agent_body_kind import AgentBodyKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_limits import AgentLimits


T = TypeVar("T", bound="AgentBody")


@_attrs_define
class AgentBody:
    """What registering an agent takes.

    Attributes:
        name (str):
        endpoint (str): Azure OpenAI resource URL, or the base URL an OpenAI-compatible API serves /chat/completions
            under.
        model (str): Model name, or the deployment for azure_openai.
        kind (AgentBodyKind | Unset): openai: {endpoint}/chat/completions; azure_openai: deployments. Default:
            AgentBodyKind.OPENAI.
        api_version (None | str | Unset): azure_openai api-version.
        api_key (None | str | Unset): API key (write-only, encrypted at rest).
        system_prompt (str | Unset):  Default: ''.
        temperature (float | Unset):  Default: 0.0.
        max_tokens (int | Unset): Largest completion per call. Default: 512.
        limits (AgentLimits | Unset):
        default (bool | Unset): The tenant's default agent (for jobs whose selected_agent_id is null). Default: False.
    """

    name: str
    endpoint: str
    model: str
    kind: AgentBodyKind | Unset = AgentBodyKind.OPENAI
    api_version: None | str | Unset = UNSET
    api_key: None | str | Unset = UNSET
    system_prompt: str | Unset = ""
    temperature: float | Unset = 0.0
    max_tokens: int | Unset = 512
    limits: AgentLimits | Unset = UNSET
    default: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        endpoint = self.endpoint

        model = self.model

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        api_version: None | str | Unset
        if isinstance(self.api_version, Unset):
            api_version = UNSET
        else:
            api_version = self.api_version

        api_key: None | str | Unset
        if isinstance(self.api_key, Unset):
            api_key = UNSET
        else:
            api_key = self.api_key

        system_prompt = self.system_prompt

        temperature = self.temperature

        max_tokens = self.max_tokens

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        default = self.default

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "endpoint": endpoint,
                "model": model,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if api_version is not UNSET:
            field_dict["api_version"] = api_version
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if system_prompt is not UNSET:
            field_dict["system_prompt"] = system_prompt
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if limits is not UNSET:
            field_dict["limits"] = limits
        if default is not UNSET:
            field_dict["default"] = default

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_limits import AgentLimits  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        endpoint = d.pop("endpoint")

        model = d.pop("model")

        _kind = d.pop("kind", UNSET)
        kind: AgentBodyKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = AgentBodyKind(_kind)

        def _parse_api_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_version = _parse_api_version(d.pop("api_version", UNSET))

        def _parse_api_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key = _parse_api_key(d.pop("api_key", UNSET))

        system_prompt = d.pop("system_prompt", UNSET)

        temperature = d.pop("temperature", UNSET)

        max_tokens = d.pop("max_tokens", UNSET)

        _limits = d.pop("limits", UNSET)
        limits: AgentLimits | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = AgentLimits.from_dict(_limits)

        default = d.pop("default", UNSET)

        agent_body = cls(
            name=name,
            endpoint=endpoint,
            model=model,
            kind=kind,
            api_version=api_version,
            api_key=api_key,
            system_prompt=system_prompt,
            temperature=temperature,
            max_tokens=max_tokens,
            limits=limits,
            default=default,
        )

        return agent_body

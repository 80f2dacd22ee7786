"""ASP.NET Core route templates, as the Functions host matches HTTP triggers.

The host orders routes by ASP.NET's inbound precedence (per segment: literal, then
multi-part, then constrained parameter, then parameter, catch-all last) and moves on to
the next route when the HTTP method is not allowed. Apps rely on that to put a
catch-all function behind specific ones, so the same ordering is reproduced here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import unquote

T = TypeVar("T")

_PARAMETER = re.compile(r"\{([^{}]+)\}")
_INT32 = (-(2**31), 2**31 - 1)


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _guid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _integer(value: str, low: int | None = None, high: int | None = None) -> bool:
    if not re.fullmatch(r"-?\d+", value):
        return False
    number = int(value)
    return (low is None or number >= low) and (high is None or number <= high)


def _constraint(spec: str) -> Callable[[str], bool]:
    """A predicate for one ``:constraint``; unknown ones accept anything rather than fail."""
    name, _, arguments = spec.partition("(")
    args = [a.strip() for a in arguments.rstrip(")").split(",")] if arguments else []
    name = name.strip().lower()
    if name == "int":
        return lambda v: _integer(v, *_INT32)
    if name == "long":
        return lambda v: _integer(v, -(2**63), 2**63 - 1)
    if name in ("double", "float", "decimal"):
        return _number
    if name == "bool":
        return lambda v: v.lower() in ("true", "false")
    if name == "guid":
        return _guid
    if name == "alpha":
        return lambda v: bool(re.fullmatch(r"[A-Za-z]+", v))
    if name == "min":
        return lambda v: _integer(v, int(args[0]))
    if name == "max":
        return lambda v: _integer(v, None, int(args[0]))
    if name == "range":
        return lambda v: _integer(v, int(args[0]), int(args[1]))
    if name == "minlength":
        return lambda v: len(v) >= int(args[0])
    if name == "maxlength":
        return lambda v: len(v) <= int(args[0])
    if name == "length":
        return lambda v: int(args[0]) <= len(v) <= int(args[-1])
    if name == "regex":
        pattern = re.compile(arguments[:-1] if arguments.endswith(")") else arguments, re.IGNORECASE)
        return lambda v: bool(pattern.search(v))
    return lambda v: True


@dataclass(frozen=True)
class _Parameter:
    name: str
    optional: bool
    default: str | None
    catch_all: bool
    constraints: tuple[Callable[[str], bool], ...]

    @classmethod
    def parse(cls, text: str) -> _Parameter:
        catch_all = text.startswith("*")
        text = text.lstrip("*")
        text, has_default, default = text.partition("=")
        optional = text.endswith("?")
        name, *constraints = text.rstrip("?").split(":")
        return cls(
            name=name,
            optional=optional or catch_all,
            default=default if has_default else None,
            catch_all=catch_all,
            constraints=tuple(_constraint(c) for c in constraints),
        )

    def accepts(self, value: str) -> bool:
        return all(check(value) for check in self.constraints)


@dataclass(frozen=True)
class _Segment:
    literal: str | None
    parameters: tuple[_Parameter, ...]
    pattern: re.Pattern[str] | None

    @classmethod
    def parse(cls, text: str) -> _Segment:
        found = list(_PARAMETER.finditer(text))
        if not found:
            return cls(literal=text.lower(), parameters=(), pattern=None)
        parameters = tuple(_Parameter.parse(m.group(1)) for m in found)
        if len(found) == 1 and found[0].span() == (0, len(text)):
            return cls(literal=None, parameters=parameters, pattern=None)
        # Multi-part segment such as "{name}.{ext}": earlier parts greedy, like ASP.NET.
        regex, position = "", 0
        for match, parameter in zip(found, parameters, strict=True):
            regex += re.escape(text[position : match.start()]) + f"(?P<{parameter.name}>.+)"
            position = match.end()
        regex += re.escape(text[position:])
        return cls(literal=None, parameters=parameters, pattern=re.compile(f"^{regex}$", re.IGNORECASE))

    @property
    def precedence(self) -> int:
        """ASP.NET's inbound precedence digit for this segment (lower is tried first)."""
        if self.literal is not None:
            return 1
        if self.pattern is not None:
            return 2
        parameter = self.parameters[0]
        if parameter.catch_all:
            return 5
        return 3 if parameter.constraints else 4


class RouteTemplate:
    """One parsed template; matches already-split, percent-encoded path segments."""

    def __init__(self, template: str) -> None:
        self.template = template
        text = template.strip().removeprefix("~").strip("/")
        self._segments = [_Segment.parse(s) for s in text.split("/")] if text else []
        self.precedence = tuple(s.precedence for s in self._segments)

    def match(self, segments: Sequence[str]) -> dict[str, str] | None:
        """Route values for the path, or None; values are percent-decoded."""
        values: dict[str, str] = {}
        for index, segment in enumerate(self._segments):
            if segment.parameters and segment.parameters[0].catch_all and segment.pattern is None:
                rest = "/".join(unquote(s) for s in segments[index:])
                parameter = segment.parameters[0]
                if rest or parameter.default is not None:
                    values[parameter.name] = rest or (parameter.default or "")
                return values if not rest or parameter.accepts(rest) else None
            if index >= len(segments):
                return values if self._rest_optional(index, values) else None
            raw = segments[index]
            if segment.literal is not None:
                if unquote(raw).lower() != segment.literal:
                    return None
                continue
            value = unquote(raw)
            if segment.pattern is not None:
                found = segment.pattern.match(value)
                if found is None or not all(p.accepts(found[p.name]) for p in segment.parameters):
                    return None
                values.update(found.groupdict())
                continue
            parameter = segment.parameters[0]
            if not value or not parameter.accepts(value):
                return None
            values[parameter.name] = value
        return values if len(segments) == len(self._segments) else None

    def _rest_optional(self, start: int, values: dict[str, str]) -> bool:
        """Whether segments from ``start`` may be absent, filling in their defaults."""
        for segment in self._segments[start:]:
            if segment.pattern is not None or segment.literal is not None:
                return False
            parameter = segment.parameters[0]
            if parameter.default is not None:
                values[parameter.name] = parameter.default
            elif not parameter.optional:
                return False
        return True


@dataclass(frozen=True)
class Route(Generic[T]):
    """A template, the methods it accepts (None: all) and what it routes to."""

    template: RouteTemplate
    methods: frozenset[str] | None
    target: T


class Router(Generic[T]):
    """Routes under a prefix, tried in ASP.NET precedence order."""

    def __init__(self, prefix: str = "api") -> None:
        self.prefix = prefix.strip("/")
        self._routes: list[Route[T]] = []

    def add(self, route: str, methods: Iterable[str] | None, target: T) -> None:
        """Register a function's route (without the prefix), as declared on its trigger."""
        template = RouteTemplate(f"{self.prefix}/{route.strip().strip('/')}" if self.prefix else route)
        allowed = frozenset(m.upper() for m in methods) if methods else None
        self._routes.append(Route(template, allowed, target))
        self._routes.sort(key=lambda r: (r.template.precedence, r.template.template.lower()))

    def match(self, method: str, path: str) -> tuple[T, dict[str, str]] | None:
        """The first route matching the raw (percent-encoded) path and method."""
        stripped = path.strip("/")
        segments = stripped.split("/") if stripped else []
        for route in self._routes:
            if route.methods is not None and method.upper() not in route.methods:
                continue
            values = route.template.match(segments)
            if values is not None:
                return route.target, values
        return None

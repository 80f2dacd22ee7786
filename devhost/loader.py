"""Indexing a ``func.FunctionApp`` into the facts the host needs to run each function.

The worker indexes the app from its function.json representation; reading the same
representation here keeps names and defaults identical (e.g. the route defaults to the
function name, ``queueName`` is camelCase).
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

HTTP_TRIGGER = "httpTrigger"
QUEUE_TRIGGER = "queueTrigger"
TIMER_TRIGGER = "timerTrigger"
SUPPORTED_TRIGGERS = (HTTP_TRIGGER, QUEUE_TRIGGER, TIMER_TRIGGER)


@dataclass(frozen=True)
class FunctionSpec:
    """One indexed function: its trigger binding as function.json has it, and its callable."""

    name: str
    trigger_type: str
    trigger: Mapping[str, Any]
    param: str
    func: Callable[..., Any]
    is_async: bool
    wants_context: bool
    annotation: Any = inspect.Parameter.empty


def load_app(target: str, script_root: Path) -> Any:
    """Import ``module:attribute`` with the script root on ``sys.path``, as the worker does."""
    module_name, _, attribute = target.partition(":")
    root = str(script_root.resolve())
    if root not in sys.path:
        sys.path.insert(0, root)
    module = importlib.import_module(module_name)
    app = getattr(module, attribute or "app")
    if not hasattr(app, "get_functions"):
        raise TypeError(f"{target} is {type(app).__name__}, not an azure.functions.FunctionApp")
    return app


def index_functions(app: Any) -> list[FunctionSpec]:
    """Index the app once; ``get_functions`` refuses a second call on the same app."""
    specs: list[FunctionSpec] = []
    for function in app.get_functions():
        name = function.get_function_name()
        trigger = function.get_trigger()
        bindings = json.loads(function.get_function_json())["bindings"]
        trigger_binding = next(b for b in bindings if b.get("name") == trigger.name and b.get("type") == trigger.type)
        if trigger.type not in SUPPORTED_TRIGGERS:
            logger.warning("Function %s: %s is not supported by devhost; not loaded", name, trigger.type)
            continue
        others = [b["name"] for b in bindings if b is not trigger_binding and b.get("name") != "$return"]
        if others:
            logger.warning("Function %s: devhost does not supply bindings %s", name, ", ".join(others))
        user_function = function.get_user_function()
        parameters = inspect.signature(user_function).parameters
        trigger_parameter = parameters.get(trigger.name)
        specs.append(
            FunctionSpec(
                name=name,
                trigger_type=trigger.type,
                trigger=trigger_binding,
                param=trigger.name,
                func=user_function,
                is_async=inspect.iscoroutinefunction(user_function),
                wants_context="context" in parameters,
                annotation=trigger_parameter.annotation if trigger_parameter else inspect.Parameter.empty,
            )
        )
    return specs

"""A small local Azure Functions host, used when Core Tools (``func``) is not installed.

It serves a ``func.FunctionApp`` with host.json semantics (routes, queue polling and
poison handling, NCRONTAB timers) so the app can be developed and tested end to end
against Azurite. Azure Functions stays the production engine; this only mirrors it.

Programmatic use::

    load_settings(Path("local.settings.json"))     # before importing the app
    host = FunctionHost.from_app(load_app("function_app:app", Path(".")), HostConfig.load(Path(".")))
    asyncio.run(serve(host, "127.0.0.1", 7071))     # or mount ``host`` as an ASGI app
"""

from devhost.config import HostConfig, HttpOptions, QueueOptions, load_settings
from devhost.cron import CronSchedule, parse_schedule
from devhost.host import FunctionHost, serve
from devhost.loader import FunctionSpec, index_functions, load_app
from devhost.routing import Router, RouteTemplate

__all__ = [
    "CronSchedule",
    "FunctionHost",
    "FunctionSpec",
    "HostConfig",
    "HttpOptions",
    "QueueOptions",
    "RouteTemplate",
    "Router",
    "index_functions",
    "load_app",
    "load_settings",
    "parse_schedule",
    "serve",
]

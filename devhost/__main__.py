"""``python -m devhost``: run a function app locally when Azure Functions Core Tools is absent."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from devhost.config import HostConfig, load_settings
from devhost.host import FunctionHost, serve
from devhost.loader import load_app


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devhost", description=__doc__)
    parser.add_argument("--app", default="function_app:app", help="module:attribute of the FunctionApp")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=7071, help="port to listen on")
    parser.add_argument("--script-root", default=".", help="folder holding host.json and the app")
    parser.add_argument(
        "--settings", default="local.settings.json", help="local settings file (relative to the script root)"
    )
    parser.add_argument("--no-queues", action="store_true", help="do not poll queue triggers")
    return parser


def _configure_logging() -> None:
    """stderr logging at CLOUDPLANE_LOG_LEVEL; the Azure SDK's per-request lines stay quiet."""
    level = os.environ.get("CLOUDPLANE_LOG_LEVEL", "INFO").upper()
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True
    )
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("azure").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Load settings, then host.json, then the app (in that order: apps read settings on import)."""
    args = _parser().parse_args(argv)
    _configure_logging()
    script_root = Path(args.script_root).resolve()
    load_settings(script_root / args.settings)
    _configure_logging()  # local.settings.json may set CLOUDPLANE_LOG_LEVEL
    config = HostConfig.load(script_root)
    host = FunctionHost.from_app(load_app(args.app, script_root), config, queues=not args.no_queues)
    print("Functions:", flush=True)
    for line in host.describe(f"http://{args.host}:{args.port}"):
        print(f"    {line}", flush=True)
    asyncio.run(serve(host, args.host, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())

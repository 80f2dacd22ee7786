"""Profiles (base URL and API key) in the user's config directory, readable by the owner only.

``$CLOUDPLANE_CONFIG_DIR`` or click's per-user app dir (``~/.config/cloudplane`` on Linux)
holds ``config.json``: ``{"default": NAME, "profiles": {NAME: {"base_url", "api_key"}}}``.
The directory is made 0700 and the file written 0600 through a temporary file and an atomic
rename, so the key is never readable by others, not even for a moment, and a crash mid-write
leaves the old file whole.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import click

FILE_NAME = "config.json"


def config_dir() -> Path:
    override = os.environ.get("CLOUDPLANE_CONFIG_DIR")
    return Path(override) if override else Path(click.get_app_dir("cloudplane"))


def config_path() -> Path:
    return config_dir() / FILE_NAME


def load() -> dict[str, Any]:
    path = config_path()
    if not path.is_file():
        return {"default": None, "profiles": {}}
    try:
        data = json.loads(path.read_text())
    except ValueError as exc:
        raise click.ClickException(f"{path} is not valid JSON ({exc}); fix or remove it.") from exc
    data.setdefault("profiles", {})
    data.setdefault("default", None)
    return data  # type: ignore[no-any-return]


def save(data: dict[str, Any]) -> Path:
    folder = config_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".config-", suffix=".tmp")  # mkstemp makes it 0600
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(data, out, indent=2)
            out.write("\n")
        os.chmod(temporary, 0o600)
        os.replace(temporary, folder / FILE_NAME)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return folder / FILE_NAME


def resolve(profile: str | None) -> tuple[str, str, str]:
    """(profile name, base URL, key): ``$CLOUDPLANE_URL``/``$CLOUDPLANE_API_KEY`` win over the profile."""
    data = load()
    name = profile or os.environ.get("CLOUDPLANE_PROFILE") or data.get("default") or "default"
    stored = data["profiles"].get(name, {})
    base_url = os.environ.get("CLOUDPLANE_URL") or stored.get("base_url")
    key = os.environ.get("CLOUDPLANE_API_KEY") or stored.get("api_key")
    if not base_url or not key:
        raise click.UsageError(
            f"No profile {name!r} with a base URL and key: run `cloudplane login` "
            "(or set CLOUDPLANE_URL and CLOUDPLANE_API_KEY)."
        )
    return name, base_url, key

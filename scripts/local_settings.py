"""Create ``local.settings.json`` from the sample, or add the settings a newer sample has; read one value.

Secrets are generated per machine (the admin key, the credentials encryption key), so no two
machines share a well-known one; values already in the file are never changed.
usage: local_settings.py ensure | get NAME
"""

from __future__ import annotations

import base64
import json
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "local.settings.json"
SAMPLE = ROOT / "local.settings.sample.json"


GENERATED = {
    "CLOUDPLANE_ADMIN_KEY": lambda: f"cpadmin_{secrets.token_urlsafe(32)}",
    "CLOUDPLANE_CREDENTIALS_KEY": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
}


def ensure() -> None:
    sample = json.loads(SAMPLE.read_text())
    created = not SETTINGS.exists()
    settings = sample if created else json.loads(SETTINGS.read_text())
    values = settings.setdefault("Values", {})
    added = [name for name in sample["Values"] if name not in values]
    for name in added:
        values[name] = sample["Values"][name]
    for name, make in GENERATED.items():
        if not values.get(name):
            values[name] = make()
            added.append(name)
    if created or added:
        SETTINGS.write_text(json.dumps(settings, indent=2) + "\n")
        what = "Created it from the sample" if created else f"Added {', '.join(sorted(set(added)))}"
        print(f"{SETTINGS.name}: {what}; secrets were generated for this machine.")


def get(name: str) -> str:
    return str(json.loads(SETTINGS.read_text())["Values"].get(name, ""))


if __name__ == "__main__":
    if sys.argv[1:] == ["ensure"]:
        ensure()
    elif len(sys.argv) == 3 and sys.argv[1] == "get":
        print(get(sys.argv[2]))
    else:
        sys.exit(__doc__)

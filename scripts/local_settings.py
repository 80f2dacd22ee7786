"""Create ``local.settings.json`` from the sample when missing, and read one of its values.

A new file gets a fresh random admin key, so no two machines share a well-known one.
usage: local_settings.py ensure | get NAME
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "local.settings.json"
SAMPLE = ROOT / "local.settings.sample.json"


def ensure() -> None:
    if SETTINGS.exists():
        return
    settings = json.loads(SAMPLE.read_text())
    settings["Values"]["CLOUDPLANE_ADMIN_KEY"] = f"cpadmin_{secrets.token_urlsafe(32)}"
    SETTINGS.write_text(json.dumps(settings, indent=2) + "\n")
    print(f"Created {SETTINGS.name} from the sample, with a new admin key.")


def get(name: str) -> str:
    return str(json.loads(SETTINGS.read_text())["Values"].get(name, ""))


if __name__ == "__main__":
    if sys.argv[1:] == ["ensure"]:
        ensure()
    elif len(sys.argv) == 3 and sys.argv[1] == "get":
        print(get(sys.argv[2]))
    else:
        sys.exit(__doc__)

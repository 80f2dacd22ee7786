"""azd preprovision hook: give the azd environment its two secrets once, never replace them.

``CLOUDPLANE_ADMIN_KEY`` and ``CLOUDPLANE_CREDENTIALS_KEY`` go from the azd environment
(``.azure/<env>/.env``, git-ignored by azd) into the template's secure parameters, and from
there into Key Vault. A missing value is generated here, the way scripts/local_settings.py
does for a local checkout. A value already set is never touched: a new credentials key would
make every stored server credential unreadable.

If the environment has been provisioned before (azd stored ``AZURE_KEY_VAULT_NAME``) and the
credentials key is missing, the hook refuses instead of generating: restore the key from Key
Vault first (infra/README.md says how).
"""

from __future__ import annotations

import base64
import json
import secrets
import subprocess
import sys

GENERATED = {
    "CLOUDPLANE_ADMIN_KEY": lambda: f"cpadmin_{secrets.token_urlsafe(32)}",
    "CLOUDPLANE_CREDENTIALS_KEY": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
}


def environment() -> dict[str, str]:
    command = ["azd", "env", "get-values", "--output", "json"]
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    values: dict[str, str] = json.loads(output.stdout)
    return values


def missing(values: dict[str, str]) -> list[str]:
    """The secrets this environment still lacks."""
    return [name for name in GENERATED if not values.get(name, "").strip()]


def main() -> int:
    values = environment()
    absent = missing(values)
    if "CLOUDPLANE_CREDENTIALS_KEY" in absent and values.get("AZURE_KEY_VAULT_NAME"):
        print(
            "CLOUDPLANE_CREDENTIALS_KEY is missing from an environment that was provisioned before; "
            "a new key would make stored server credentials unreadable. Restore it from Key Vault "
            "(see infra/README.md), then run azd again.",
            file=sys.stderr,
        )
        return 1
    for name in absent:
        # The value goes to azd on its command line of one local process, never to the console.
        subprocess.run(["azd", "env", "set", name, GENERATED[name]()], check=True, capture_output=True)
        print(f"{name}: generated for this azd environment.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

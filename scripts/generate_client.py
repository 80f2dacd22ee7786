"""Write the app's OpenAPI document and regenerate the typed client from it (``make client``).

The document is built from the route table exactly as ``GET /api/v1/openapi.json`` serves it,
without a server. ``client/openapi.json`` is the committed copy and ``client/cloudplane_api/`` the
package openapi-python-client generates from it; ``--check`` regenerates into a temporary folder
and names every file that differs, so a route added without ``make client`` fails the test suite
(``tests/client/test_generated.py``).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "client"
DOCUMENT = CLIENT / "openapi.json"
PACKAGE = CLIENT / "cloudplane_api"
CONFIG = CLIENT / "generator.yaml"


def build_document() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import function_app  # noqa: F401  (registers every blueprint's routes)
    from shared.api.openapi import build_openapi
    from shared.api.router import ROUTES

    return build_openapi(ROUTES)


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def generate(document_path: Path, output: Path) -> None:
    """Run the pinned generator (from this interpreter's environment) into ``output``."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [
        str(bin_dir / "openapi-python-client"),
        "generate",
        "--path",
        str(document_path),
        "--meta",
        "none",
        "--output-path",
        str(output),
        "--config",
        str(CONFIG),
        "--overwrite",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (output / "__init__.py").is_file():
        raise SystemExit(f"openapi-python-client failed:\n{done.stdout}\n{done.stderr}")
    for warning in generator_warnings(done.stdout + "\n" + done.stderr):
        print(f"generator: {warning}", file=sys.stderr)
    (output / "py.typed").write_text("")  # PEP 561: the generated models' types reach users' type checkers


def generator_warnings(output: str) -> list[str]:
    """"WARNING parsing POST /x within tag." and its reason, one line each: what the client lacks.

    The three for POST /api/v1/datasets are expected: it takes a file under four content types
    and the generated function sends ``application/octet-stream`` (the app accepts that with
    ``?filename=``); ``Cloudplane.upload_dataset`` streams with the file's own type.
    """
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return [f"{line} {lines[i + 1]}" for i, line in enumerate(lines[:-1]) if line.startswith("WARNING parsing")]


def differences(expected: Path, actual: Path) -> list[str]:
    """Relative paths that are missing, extra or different between two trees (caches ignored)."""

    def files(folder: Path) -> set[str]:
        return {
            str(p.relative_to(folder))
            for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and ".ruff_cache" not in p.parts
        }

    want, have = files(expected), files(actual)
    changed = sorted(want ^ have)
    changed += sorted(n for n in want & have if not filecmp.cmp(expected / n, actual / n, shallow=False))
    return changed


def check() -> list[str]:
    """What ``make client`` would change: the document and every generated file that differs."""
    problems: list[str] = []
    text = render(build_document())
    if not DOCUMENT.is_file() or DOCUMENT.read_text() != text:
        problems.append(str(DOCUMENT.relative_to(ROOT)))
    with tempfile.TemporaryDirectory() as tmp:
        document = Path(tmp) / "openapi.json"
        document.write_text(text)
        generate(document, Path(tmp) / "cloudplane_api")
        problems += [f"client/cloudplane_api/{name}" for name in differences(Path(tmp) / "cloudplane_api", PACKAGE)]
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed client is out of date")
    if parser.parse_args().check:
        problems = check()
        if problems:
            print("Out of date (run `make client`):", *problems, sep="\n  ")
            raise SystemExit(1)
        print("client/ is up to date with the OpenAPI document")
        return
    DOCUMENT.write_text(render(build_document()))
    with tempfile.TemporaryDirectory() as tmp:
        generate(DOCUMENT, Path(tmp) / "cloudplane_api")
        shutil.rmtree(PACKAGE, ignore_errors=True)
        shutil.copytree(
            Path(tmp) / "cloudplane_api", PACKAGE, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache")
        )
    print(f"wrote {DOCUMENT.relative_to(ROOT)} and {PACKAGE.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()

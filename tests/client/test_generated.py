"""The committed client is what `make client` would write from today's OpenAPI document.

Fails after a route or model changes without `make client`: regenerate and commit client/.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pydantic import BaseModel, create_model
from pydantic.json_schema import models_json_schema

from shared.api.openapi import _unique_titles
from tests.client.conftest import CLIENT_DIR
from tests.support.azurite import ROOT


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("generate_client", ROOT / "scripts" / "generate_client.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_client_is_up_to_date_with_the_document() -> None:
    problems = _generator().check()  # type: ignore[attr-defined]
    assert problems == [], "client/ is out of date; run `make client` and commit:\n" + "\n".join(problems)


def test_the_check_names_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = _generator()
    stale = tmp_path / "cloudplane_api"
    shutil.copytree(CLIENT_DIR / "cloudplane_api", stale, ignore=shutil.ignore_patterns("__pycache__"))
    (stale / "api" / "jobs" / "get_job.py").write_text("# edited by hand\n")
    (stale / "api" / "jobs" / "removed_route.py").write_text("")
    document = tmp_path / "openapi.json"
    document.write_text((CLIENT_DIR / "openapi.json").read_text().replace('"get_job"', '"get_a_job"', 1))
    monkeypatch.setattr(generator, "PACKAGE", stale)
    monkeypatch.setattr(generator, "DOCUMENT", document)
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    problems = generator.check()  # type: ignore[attr-defined]
    assert "openapi.json" in problems
    assert "client/cloudplane_api/api/jobs/get_job.py" in problems
    assert "client/cloudplane_api/api/jobs/removed_route.py" in problems
    assert len(problems) == 3


def test_every_operation_of_the_document_has_a_generated_function() -> None:
    import json

    document = json.loads((CLIENT_DIR / "openapi.json").read_text())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            module = CLIENT_DIR / "cloudplane_api" / "api" / operation["tags"][0] / f"{operation['operationId']}.py"
            assert module.is_file(), f"{method.upper()} {path}: no {module.name}"
            text = module.read_text()
            assert "def sync_detailed(" in text and "async def asyncio_detailed(" in text


# Offline: the build uses the venv's own setuptools and wheel, and fetches nothing from an index.
OFFLINE = ("--no-deps", "--no-build-isolation", "--no-index")


@pytest.mark.slow
def test_the_package_builds_on_its_own_with_the_cli_entry_point(tmp_path: Path) -> None:
    """`pip install ./client` builds this wheel: the three packages and the `cloudplane` script."""
    source = tmp_path / "client"  # a copy: setuptools leaves build/ and egg-info in the folder it builds
    shutil.copytree(CLIENT_DIR, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", *OFFLINE, "-q", "-w", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("cloudplane_client-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("cloudplane_api/api/jobs/get_job.py", "cloudplane_client/session.py", "cloudplane_cli/main.py"):
        assert expected in names
    assert "cloudplane_api/py.typed" in names and "cloudplane_client/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "cloudplane = cloudplane_cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


class Other(BaseModel):
    value: int


def test_models_sharing_a_class_name_get_distinct_titles() -> None:
    """Generators name classes by title: two ``TeamCreate`` models must not collapse into one."""
    first = create_model("TeamCreate", __module__="shared.models.concertim", name=(str, ...))
    second = create_model("TeamCreate", __module__="shared.models.cloud_identity", slug=(str, ...))
    _, top = models_json_schema([(first, "validation"), (second, "validation"), (Other, "validation")])
    components = top["$defs"]
    assert {s["title"] for s in components.values()} == {"TeamCreate", "Other"}  # the collision Pydantic leaves
    _unique_titles(components)
    assert {key: schema["title"] for key, schema in components.items()} == {
        "shared__models__concertim__TeamCreate": "ConcertimTeamCreate",
        "shared__models__cloud_identity__TeamCreate": "CloudIdentityTeamCreate",
        "Other": "Other",
    }

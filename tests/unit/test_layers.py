"""The one-way layers of docs/architecture.md, as the import-linter contracts in pyproject.toml.

The contracts run on the real import graph (every import counts, those inside functions too), so a
layer broken by a change fails ``make test`` as well as ``make lint``. The same contracts are then
shown to break on the kinds of edge they exist to refuse, so they cannot be passing vacuously.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter import configuration
from importlinter.application import use_cases
from importlinter.domain.contract import registry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def options() -> Any:
    configuration.configure()  # what the lint-imports command does first
    found = use_cases.read_user_options(str(ROOT / "pyproject.toml"))
    use_cases._register_contract_types(found)
    return found


@pytest.fixture(scope="module")
def graph(options: Any) -> grimp.ImportGraph:
    return grimp.build_graph(*options.session_options["root_packages"], cache_dir=None)


def _kept(options: Any, graph: grimp.ImportGraph, contract_id: str) -> bool:
    from copy import deepcopy

    (contract_options,) = [c for c in options.contracts_options if c.get("id") == contract_id]
    contract = registry.get_contract_class(contract_options["type"])(
        name=contract_options["name"], session_options=options.session_options, contract_options=contract_options
    )
    return bool(contract.check(deepcopy(graph), verbose=False).kept)


@pytest.mark.parametrize("contract_id", ["layers", "domain-below-hosts", "no-cycles"])
def test_the_tree_keeps_the_contract(options: Any, graph: grimp.ImportGraph, contract_id: str) -> None:
    assert _kept(options, graph, contract_id)


def test_imports_inside_functions_are_in_the_graph(graph: grimp.ImportGraph) -> None:
    """The composition root imports what it builds inside its factories: those edges must be seen."""
    assert graph.direct_import_exists(importer="shared.deps", imported="shared.services.pods")
    assert graph.direct_import_exists(importer="functions.jobs_maintenance", imported="shared.jobs.sweeper")


@pytest.mark.parametrize(
    ("contract_id", "importer", "imported"),
    [
        ("layers", "shared.api.pipeline", "shared.deps"),  # the pipeline gets its guards handed in
        ("layers", "shared.services.pods", "shared.deps"),  # a service gets collaborators in __init__
        ("layers", "shared.storage.servers", "shared.services.servers"),
        ("layers", "shared.providers.kubernetes", "shared.net.addresses"),  # siblings are independent
        ("layers", "shared.errors", "shared.api.errors"),
        ("domain-below-hosts", "shared.models.pods", "functions.pods"),
        ("no-cycles", "shared.services.pod_status", "shared.services.pods"),
    ],
)
def test_an_edge_against_the_layers_breaks_the_contract(
    options: Any, graph: grimp.ImportGraph, contract_id: str, importer: str, imported: str
) -> None:
    from copy import deepcopy

    changed = deepcopy(graph)
    changed.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    assert not _kept(options, changed, contract_id)

"""Fixtures shared by every test folder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `pytest` (unlike `python -m pytest`) does not put the project root on sys.path
    sys.path.insert(0, str(ROOT))

from tests.support.azurite import Azurite  # noqa: E402
from tests.support.openstack import keystone, nova  # noqa: E402, F401 - session fixtures (real Keystone, nova-api)


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    """One Azurite for the session, on free ports, with its data in a temporary folder."""
    with Azurite(tmp_path_factory.mktemp("azurite")) as server:
        yield server

"""Shared test helpers: emulator and host processes."""

from tests.support.azurite import Azurite, free_port
from tests.support.devhost_process import DevHost

__all__ = ["Azurite", "DevHost", "free_port"]

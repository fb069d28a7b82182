"""The `crimewire` command: a thin layer over the library.

Each ``*_commands`` module registers its commands on the shared ``app``.
"""

from __future__ import annotations

import importlib
import pkgutil

from crimewire.cli.app import app


def _register_commands() -> None:
    # Every module named *_commands in this package adds its commands to `app`.
    for info in pkgutil.iter_modules(__path__):
        if info.name.endswith("_commands"):
            importlib.import_module(f"{__name__}.{info.name}")


def main() -> None:
    """Entry point of the `crimewire` console script."""
    _register_commands()
    app()


__all__ = ["app", "main"]

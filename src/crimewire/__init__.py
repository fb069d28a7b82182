"""crimewire: news reports about organized crime in, a structured, source-linked event database out.

    import crimewire
    result = crimewire.extract(text, published="2024-03-16")   # typed records
    db = crimewire.open("crimewire.db")                        # query a database
    db.events(type="arrest", country="PE")

The heavy parts (spaCy models, gazetteer) load on first use, not on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["extract", "extract_files", "ingest", "open"]

if TYPE_CHECKING:
    from crimewire.api import extract, extract_files, ingest, open


def __getattr__(name: str) -> Any:
    # Lazy: `crimewire --help` and `import crimewire.records` must not load spaCy.
    if name in __all__:
        from crimewire import api

        return getattr(api, name)
    raise AttributeError(f"module 'crimewire' has no attribute {name!r}")

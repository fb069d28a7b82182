"""What both sides of incident storage share: report keys and chunked ``IN (...)`` lists."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from crimewire.storage.query import chunks

Key = tuple[str, int]

# Rows per `IN (...)` list; well under SQLite's limit of bound variables.
_CHUNK = 400


def key_text(key: Key) -> str:
    """``"article_id#seq"``: how a report key is written in explanations."""
    return f"{key[0]}#{key[1]}"


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    return chunks(items, _CHUNK)

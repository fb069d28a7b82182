"""Fixtures shared by the unit and the integration tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crimewire.kb import KnowledgeBase, load_knowledge_base
from crimewire.records import ArticleResult
from crimewire.storage import open_database, store_results
from crimewire.storage.samples import sample_results


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The bundled knowledge base (``load_knowledge_base`` caches it, so every test sees this one)."""
    return load_knowledge_base()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``sample_db(name, *extra)``: a new database file holding ``sample_results()``, then ``extra``."""

    def make(name: str, *extra: ArticleResult) -> Path:
        path = tmp_path_factory.mktemp(name) / "crimewire.db"
        with open_database(path) as db:
            store_results(db, (*sample_results(), *extra))
        return path

    return make

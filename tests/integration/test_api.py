"""The notebook API: `crimewire.extract` returns typed records; `crimewire.open` queries a database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import crimewire
from crimewire.errors import InputError
from crimewire.records import ArticleResult

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_extract_returns_typed_records() -> None:
    result = crimewire.extract("Mexican marines arrested 9 members of the CJNG in Zapopan, Jalisco, on Friday.",
                               published="2024-10-12")
    assert isinstance(result, ArticleResult)
    (event,) = result.events
    assert event.type == "arrest"
    assert event.count is not None and event.count.value == 9
    assert event.date is not None and event.date.value == date(2024, 10, 11) and event.date.precision == "day"
    assert [o.name for o in event.organizations] == ["CJNG"]
    assert event.country == "MX"


def test_without_a_publication_date_relative_dates_stay_unknown() -> None:
    result = crimewire.extract("Police arrested 4 men in Lima on Thursday.")
    assert result.article.published is None
    (event,) = result.events
    assert event.date is None


def test_bad_publication_date_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="publication date"):
        crimewire.extract("Police arrested 4 men.", published="yesterday-ish")


def test_ingest_then_open_and_query(tmp_path: Path) -> None:
    db = tmp_path / "cw.db"
    summary = crimewire.ingest([EXAMPLES], db)
    assert summary.stored == len(list(EXAMPLES.glob("*.txt")))
    assert not summary.errors
    with crimewire.open(db) as store:
        arrests = store.events(type="arrest")
        assert arrests and all(e.type == "arrest" for e in arrests)
        assert store.events(organization="TdA")  # an alias finds the Tren de Aragua
        assert store.search("Montería")

"""Storage helpers that need no database: record (de)serialization, query quoting, name keys."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

import pytest

from crimewire.errors import StorageError
from crimewire.records import ArticleResult, CountValue, DateValue, Event, OffsetMap
from crimewire.storage.db import QueryError, name_key
from crimewire.storage.query import fts_query, parse_date_bound
from crimewire.storage.samples import sample_results
from crimewire.storage.serialize import dumps, from_jsonable, loads_record, loads_value, to_jsonable


def test_every_sample_result_round_trips_through_json() -> None:
    for result in sample_results():
        again = loads_record(ArticleResult, dumps(result))
        assert again == result
        assert again.article.published == result.article.published  # a date, not a string


def test_to_jsonable_writes_dates_as_iso_and_tuples_as_lists() -> None:
    data = to_jsonable(DateValue(date(2024, 2, 29), "day", "on Thursday"))
    assert data == {"value": "2024-02-29", "precision": "day", "text": "on Thursday", "rule": ""}
    assert to_jsonable(OffsetMap(((0, 3, 10), (10, 20, 5)))) == {"segments": [[0, 3, 10], [10, 20, 5]]}


def test_dumps_is_stable_for_equal_records() -> None:
    a = CountValue(3, "at_least", "at least three")
    b = CountValue(3, "at_least", "at least three")
    assert dumps(a) == dumps(b)
    assert dumps(a) != dumps(CountValue(4, "at_least", "at least four"))


def test_unknown_keys_are_ignored_and_missing_fields_take_defaults() -> None:
    # JSON written by an older or newer crimewire: one key too many, optional keys missing.
    stored = json.dumps({"value": 7, "qualifier": "about", "confidence": 0.5})
    value = loads_record(CountValue, stored)
    assert value == CountValue(7, "about")


def test_nested_optionals_and_tuples_are_rebuilt_as_records() -> None:
    event = sample_results()[0].events[1]
    data = json.loads(dumps(event))
    rebuilt = from_jsonable(Event, data)
    assert isinstance(rebuilt.places, tuple)
    assert rebuilt.places[0].name == "San Martín de Porres"
    assert rebuilt.attribution is not None and rebuilt.attribution.source == "Interior Ministry"
    assert rebuilt.date is not None and rebuilt.date.value == date(2024, 3, 5)


@dataclass(frozen=True)
class _Gained:
    name: str
    tags: tuple[str, ...] = ()
    extra: dict[str, int] = field(default_factory=dict)


def test_a_record_that_gained_fields_reads_old_json() -> None:
    assert loads_record(_Gained, '{"name": "x"}') == _Gained("x")
    assert loads_record(_Gained, '{"name": "x", "tags": ["a"], "extra": {"k": 1}}') == _Gained(
        "x", ("a",), {"k": 1}
    )


def test_broken_json_raises_storage_error() -> None:
    with pytest.raises(StorageError):
        loads_record(CountValue, "{not json")
    with pytest.raises(StorageError):
        loads_value(tuple[int, ...], '{"a": 1')


@pytest.mark.parametrize(
    ("user_input", "expected"),
    [
        ("cocaine", '"cocaine"'),
        ("Tren de Aragua", '"Tren" "de" "Aragua"'),
        ('"Tren de Aragua" Lima', '"Tren de Aragua" "Lima"'),
        ("Arag*", '"Arag"*'),
        ("cocaine OR heroin", '"cocaine" OR "heroin"'),
        ("AND cocaine AND", '"cocaine"'),
        ("OR", None),
        ("cocaine OR", '"cocaine"'),
        ("NEAR(", '"NEAR("'),
        ('unbalanced "quote', '"unbalanced" "quote"'),
        ('say "hi', '"say" "hi"'),
        ("(((", None),
        ("*", None),
        ("", None),
        ("   ", None),
        ("title:foo", '"title:foo"'),
        ("MS-13", '"MS-13"'),
        ('a""b', '"a  b"'),
    ],
)
def test_fts_query_quotes_every_word(user_input: str, expected: str | None) -> None:
    assert fts_query(user_input) == expected


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        ("2024", False, "2024-01-01"),
        ("2024", True, "2024-12-31"),
        ("2024-02", False, "2024-02-01"),
        ("2024-02", True, "2024-02-29"),
        ("2023-02", True, "2023-02-28"),
        ("2024-03-05", True, "2024-03-05"),
        (date(2024, 3, 5), False, "2024-03-05"),
        (None, False, None),
        ("", True, None),
    ],
)
def test_parse_date_bound(value: date | str | None, end: bool, expected: str | None) -> None:
    assert parse_date_bound(value, end=end) == expected


@pytest.mark.parametrize("bad", ["2024-13", "yesterday", "2024-02-30", "24"])
def test_parse_date_bound_rejects_non_dates(bad: str) -> None:
    with pytest.raises(QueryError, match="not a date"):
        parse_date_bound(bad)


def test_name_key_folds_accents_case_and_spaces() -> None:
    assert name_key("Cártel  de Sinaloa") == name_key("cartel de sinaloa") == "cartel de sinaloa"
    assert name_key("  ") == ""
    assert name_key("MS-13") == name_key("MS 13") == "ms 13"
    assert name_key("MS-13") != name_key("MS13")  # spelling variants are aliases, not key folds
    assert name_key("“Los Correcaminos”") == name_key("Los Correcaminos")

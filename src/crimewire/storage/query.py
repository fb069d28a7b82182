"""Query building blocks shared by the read modules: filters, WHERE clauses, date bounds, pagination,
safe FTS5 queries, rows to records."""

from __future__ import annotations

import calendar
import functools
import re
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar

from crimewire.records import EVENT_TYPES
from crimewire.storage.db import QueryError
from crimewire.storage.serialize import to_jsonable

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Criteria:
    """What the event and incident filters share; a field left ``None`` does not filter.

    ``type``: one event type, several comma-separated, or a sequence of them; ``country``: ISO
    alpha-2; ``organization``: canonical name or alias (its factions too); ``place``: a place
    name; ``since``/``until``: a date or ``YYYY``/``YYYY-MM``/``YYYY-MM-DD``; ``text``: a
    full-text query over the evidence sentences.
    """

    type: str | Sequence[str] | None = None
    country: str | None = None
    organization: str | None = None
    place: str | None = None
    since: date | str | None = None
    until: date | str | None = None
    text: str | None = None


CRITERIA: tuple[str, ...] = tuple(f.name for f in fields(Criteria))


class Where:
    """The clauses of a WHERE, ANDed in the order they are added, with their parameters."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        """Add ``clause`` with the values of its ``?`` marks."""
        self.clauses.append(clause)
        self.params.extend(params)

    def any_of(self, column: str, values: Sequence[Any]) -> None:
        """``column IN (values)``; nothing when there are no values."""
        if values:
            self.add(f"{column} IN ({marks(len(values))})", *values)

    def dates(self, column: str, since: date | str | None, until: date | str | None) -> None:
        """``column`` within the ``since``/``until`` bounds that are given (see ``parse_date_bound``)."""
        start = parse_date_bound(since)
        if start:
            self.add(f"{column} >= ?", start)
        end = parse_date_bound(until, end=True)
        if end:
            self.add(f"{column} <= ?", end)

    def sql(self) -> tuple[str, list[Any]]:
        """The condition (``1`` when nothing filters) and its parameters."""
        return (" AND ".join(self.clauses) or "1"), self.params


def marks(n: int) -> str:
    """``?, ?, ?``: the placeholders of an ``IN (...)`` list of ``n`` values."""
    return ", ".join("?" * n)


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size`` (``IN (...)`` lists under SQLite's variable limit)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def event_types(value: str | Sequence[str] | None) -> list[str]:
    """The event types of a ``type`` filter (comma-separated text or a sequence), lower-cased.

    Raises ``QueryError`` naming the first unknown type.
    """
    if value is None:
        return []
    raw = value.split(",") if isinstance(value, str) else list(value)
    types = [t.strip().lower() for t in raw if t and t.strip()]
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise QueryError(f"unknown event type {unknown[0]!r}; known types: {', '.join(EVENT_TYPES)}")
    return types


def check_order(order: str, choices: Collection[str]) -> None:
    """Raise ``QueryError`` listing ``choices`` when ``order`` is not one of them."""
    if order not in choices:
        raise QueryError(f"unknown order {order!r}; use one of: {', '.join(choices)}")


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    # Memoized per record class (a handful): ``dataclasses.fields`` for every row of a map of
    # 2,000 incidents was a fifth of its time.
    return tuple(f.name for f in fields(cls))


def from_row(cls: type[T], row: sqlite3.Row, **values: Any) -> T:
    """The dataclass ``cls`` with each field from ``values``, else from the row's column of its name."""
    return cls(**{name: values[name] if name in values else row[name] for name in _field_names(cls)})


def scalar(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> int:
    """The integer a one-value query (``SELECT count(*) ...``) returns."""
    return int(conn.execute(sql, params).fetchone()[0])


def count_by(conn: sqlite3.Connection, sql: str, unknown: str = "unknown") -> dict[str, int]:
    """``{key: n}`` of a query selecting (key, count) rows; a NULL key counts as ``unknown``."""
    return {(k if k is not None else unknown): int(n) for k, n in conn.execute(sql)}


def plain(obj: Any) -> dict[str, Any]:
    """A dataclass as a JSON-ready dict (dates as ISO text, tuples as lists)."""
    result: dict[str, Any] = to_jsonable(obj)
    return result


class JsonRecord:
    """Base of the read API's frozen dataclasses: ``to_dict()`` gives their JSON-ready shape."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return plain(self)


def iso_date(value: str | None) -> date | None:
    """The ``date`` of stored ISO text (``None`` stays ``None``)."""
    return date.fromisoformat(value) if value else None


def country_code(value: str) -> str:
    """``value`` as an upper-case ISO 3166-1 alpha-2 code; ``QueryError`` for anything else.

    A country name ("Peru") would otherwise match no row and look like an empty result.
    """
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise QueryError(f"country must be an ISO alpha-2 code such as PE, not {value!r}")
    return code


def parse_date_bound(value: date | str | None, *, end: bool = False) -> str | None:
    """ISO day of a ``since`` (``end=False``) or ``until`` (``end=True``) bound.

    Accepts a ``date`` or text ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a year or month
    stands for its first day as a lower bound and its last day as an upper bound.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return f"{text}-12-31" if end else f"{text}-01-01"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = int(text[:4]), int(text[5:])
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last if end else 1).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise QueryError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from exc


def paginate(sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    """``sql`` with LIMIT/OFFSET for ``limit`` (``None``: no limit) and ``offset``."""
    if limit is None and not offset:
        return sql, params
    if (limit is not None and limit < 0) or offset < 0:
        raise QueryError("limit and offset must not be negative")
    return f"{sql} LIMIT ? OFFSET ?", [*params, -1 if limit is None else limit, offset]


def with_limit(sql: str, params: list[Any], limit: int | None) -> tuple[str, list[Any]]:
    """``sql`` with ``LIMIT ?`` for ``limit`` (``None``: every row)."""
    if limit is None:
        return sql, params
    return f"{sql} LIMIT ?", [*params, limit]


# A quoted phrase, or a run of non-space characters (with an optional trailing * for a prefix).
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(text: str) -> str | None:
    """Turn user input into a safe FTS5 query, or ``None`` when it has nothing to search for.

    Each word (or ``"quoted phrase"``) becomes a quoted FTS5 string, so that parentheses,
    ``NEAR``, ``:``, ``^``, ``-`` or stray quotes in the input are searched as words instead
    of parsed as syntax. Words are ANDed; an upper-case ``OR`` between two words is kept as
    the operator (FTS5 binds AND tighter than OR), an upper-case ``AND`` is dropped, and a
    word ending in ``*`` stays a prefix search.
    """
    terms: list[str] = []
    for match in _QUERY_PART.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if word in ("AND", "OR"):
            if word == "OR" and terms and terms[-1] != "OR":
                terms.append("OR")
            continue
        prefix = False
        if word is not None:
            prefix = word.endswith("*")
            phrase = word.replace('"', " ")
        if not re.search(r"\w", phrase or ""):
            continue
        quoted = '"' + phrase.replace('"', '""').strip().rstrip("*").strip() + '"'
        terms.append(quoted + ("*" if prefix else ""))
    if terms and terms[-1] == "OR":
        terms.pop()
    return " ".join(terms) or None

"""Query building blocks shared by the read modules: date bounds, pagination, safe FTS5 queries."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from crimewire.storage.db import QueryError
from crimewire.storage.serialize import to_jsonable


def plain(obj: Any) -> dict[str, Any]:
    """A dataclass as a JSON-ready dict (dates as ISO text, tuples as lists)."""
    result: dict[str, Any] = to_jsonable(obj)
    return result


def iso_date(value: str | None) -> date | None:
    """The ``date`` of stored ISO text (``None`` stays ``None``)."""
    return date.fromisoformat(value) if value else None


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

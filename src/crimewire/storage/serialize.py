"""Records to JSON and back, generically, so that fields added to the records survive storage.

``to_jsonable`` walks any dataclass (like ``dataclasses.asdict``, with dates as ISO text and
tuples as lists); ``from_jsonable`` rebuilds a record from its type hints. Keys the record no
longer has are ignored and fields missing from old JSON take their defaults, so a database
written before a record gained or lost a field still reads back.
"""

from __future__ import annotations

import functools
import hashlib
import json
import types
import typing
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from crimewire.errors import StorageError
from crimewire.records import Mentions

T = TypeVar("T")


def to_jsonable(obj: Any) -> Any:
    """A JSON-ready copy of ``obj``: dataclasses become dicts, tuples lists, dates ISO text."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, list | tuple):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, date):  # datetime is a date too
        return obj.isoformat()
    return obj


def mention_items(mentions: Mentions) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """``(kind, match, data)`` of every mention: places, organizations, agencies, nationalities, persons.

    ``data`` is ``to_jsonable(match)`` with a ``name`` for every kind: a nationality's normalized
    name is its country code; every other match has ``name`` of its own.
    """
    groups: tuple[tuple[str, tuple[Any, ...]], ...] = (
        ("place", mentions.places),
        ("organization", mentions.organizations),
        ("agency", mentions.agencies),
        ("nationality", mentions.nationalities),
        ("person", mentions.persons),
    )
    for kind, matches in groups:
        for match in matches:
            data = to_jsonable(match)
            data.setdefault("name", data.get("country"))
            yield kind, match, data


def dumps(obj: Any) -> str:
    """Compact, key-sorted JSON of ``obj`` (sorted so that equal records give equal text)."""
    return json.dumps(to_jsonable(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_text(text: str) -> str:
    """Hex sha256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def loads_record(cls: type[T], text: str) -> T:
    """Rebuild a record of type ``cls`` from the JSON ``dumps`` wrote."""
    result: T = loads_value(cls, text)
    return result


def loads_value(tp: Any, text: str) -> Any:
    """Rebuild a value of type ``tp`` (a record, a tuple of records ...) from JSON text."""
    try:
        return from_jsonable(tp, json.loads(text))
    except (TypeError, ValueError, KeyError) as exc:
        raise StorageError(f"a stored {tp} cannot be read back: {exc}") from exc


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_jsonable(tp: Any, value: Any) -> Any:
    """Convert JSON data ``value`` to the type ``tp`` (a dataclass, container, date or scalar)."""
    if value is None or tp is Any:
        return value
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return _from_union(typing.get_args(tp), value)
    if origin is typing.Literal:
        return value
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_jsonable(args[0], v) for v in value)
        return tuple(from_jsonable(a, v) for a, v in zip(args, value, strict=False))
    if origin is list:
        (arg,) = typing.get_args(tp) or (Any,)
        return [from_jsonable(arg, v) for v in value]
    if origin is dict:
        args = typing.get_args(tp)
        value_type = args[1] if args else Any
        return {k: from_jsonable(value_type, v) for k, v in value.items()}
    if isinstance(tp, type) and is_dataclass(tp):
        hints = _hints(tp)
        known = {f.name for f in fields(tp) if f.init}
        return tp(**{k: from_jsonable(hints[k], v) for k, v in value.items() if k in known})
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if tp is float and isinstance(value, int):
        return float(value)
    return value


def _from_union(args: tuple[Any, ...], value: Any) -> Any:
    options = [a for a in args if a is not type(None)]
    if len(options) == 1:
        return from_jsonable(options[0], value)
    # A union of several types (rare in the records): keep a value that already fits one.
    for option in options:
        if isinstance(option, type) and isinstance(value, option):
            return value
    return from_jsonable(options[0], value)

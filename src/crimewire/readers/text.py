"""Plain-text articles (``date YYYY-MM-DD`` marker, then the body) and JSON / JSON Lines records."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

from crimewire.errors import InputError
from crimewire.readers._common import (
    MAX_DOCUMENT_BYTES,
    Item,
    decode_utf8,
    first_text,
    normalize_lang,
    parse_date,
    short_hash,
    stem,
)
from crimewire.records import Article, ReadError

_DATE_MARKER = re.compile(r"\A[ \t\r\n]*date[ \t]*:?[ \t]*(\d{4})-(\d{2})-(\d{2})(?![\d-])")


def read_text(data: bytes, path: Path, origin: str) -> Item:
    """A ``.txt`` article: an optional ``date YYYY-MM-DD`` marker, then the body."""
    text = decode_utf8(data, origin)
    if isinstance(text, ReadError):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    published = None
    m = _DATE_MARKER.match(text)
    if m:
        try:
            published = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            published = None  # a malformed date is unknown, the marker is still not body text
        text = text[m.end() :]
    body = text.strip()
    if not body:
        return ReadError(origin, "no article text after the date line" if m else "empty file")
    return Article(id=stem(path), text=body, published=published, origin=origin)


# --------------------------------------------------------------------------- JSON, JSON Lines


# The fields an article is read from, and the JSON types each may have (null is always allowed).
# A record whose field has another type ("text": 5, "date": [1]) is reported, not half-read.
_STRING_FIELDS = (
    "text", "maintext", "body", "content", "date", "date_publish", "published",
    "title", "url", "lang", "language", "outlet", "source_domain",
)
_JSON_TYPE_NAMES = {
    dict: "an object", list: "a list", bool: "true/false", int: "a number", float: "a number", str: "a string"
}


def _wrong_type(obj: dict[str, Any]) -> str | None:
    """Why a record's known fields cannot be read, or None when their types are right."""
    raw_id = obj.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
        return f"field 'id' is {_JSON_TYPE_NAMES.get(type(raw_id), type(raw_id).__name__)}, not a string or an integer"
    for key in _STRING_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return f"field {key!r} is {_JSON_TYPE_NAMES.get(type(value), type(value).__name__)}, not a string"
    return None


def _article_from_record(obj: Any, origin: str) -> Item:
    """An article from one JSON object with our field names or news-please / CC-News ones."""
    if not isinstance(obj, dict):
        return ReadError(origin, f"not a JSON object but {type(obj).__name__}")
    wrong = _wrong_type(obj)
    if wrong is not None:
        return ReadError(origin, wrong)
    text = first_text(obj, "text", "maintext", "body", "content")
    if text is None:
        return ReadError(origin, "no article text (no 'text' or 'maintext' field)")
    url = first_text(obj, "url")
    raw_id = obj.get("id")
    # a blank id ("  ") is no id: the article would be stored under the empty string
    art_id = ("" if raw_id is None else str(raw_id).strip()) or short_hash(url or text)
    return Article(
        id=art_id,
        text=text,
        published=parse_date(obj.get("date") or obj.get("date_publish") or obj.get("published")),
        title=first_text(obj, "title"),
        url=url,
        lang=normalize_lang(obj.get("lang") or obj.get("language")),
        outlet=first_text(obj, "outlet", "source_domain"),
        origin=origin,
    )


def read_jsonl(
    stream: IO[bytes] | io.RawIOBase, origin: str, max_line_bytes: int = MAX_DOCUMENT_BYTES
) -> Iterator[Item]:
    """One article per line; a broken line is a ReadError naming ``file:line`` (position "line N").

    A line longer than ``max_line_bytes`` is skipped without being held in memory. When the
    stream raises ``InputError`` (the decompression limit), reading stops with an error at
    the line it was reading.
    """
    # A large buffer: blank lines are skipped a buffer at a time (``_skip_blank``).
    buffered = io.BufferedReader(cast(io.RawIOBase, stream), buffer_size=1 << 20)
    offset = 0
    any_line = False
    number = 0
    while True:
        number += 1
        try:
            for skipped, blank_lines in _skip_blank(buffered):
                offset += skipped
                number += blank_lines
            line_origin = f"{origin}:{number}"
            where = f"line {number}"
            raw = buffered.readline(max_line_bytes + 1)
            if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
                skipped = _skip_line(buffered)
                offset += len(raw) + skipped
                any_line = True
                reason = f"line {number} longer than {max_line_bytes:,} bytes, not one article"
                yield ReadError(line_origin, reason, where)
                continue
        except InputError as exc:
            yield ReadError(f"{origin}:{number}", exc.reason, f"line {number}")
            return
        if not raw:
            break
        line_offset = offset
        offset += len(raw)
        if not raw.strip():
            continue
        any_line = True
        text = decode_utf8(raw, line_origin, line_offset)
        if isinstance(text, ReadError):
            yield replace(text, position=where)
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield ReadError(line_origin, f"broken JSON on line {number}: {exc.msg} at column {exc.colno}", where)
            continue
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number; arrays nested thousands deep
            yield ReadError(line_origin, f"JSON on line {number} that cannot be read: {_json_trouble(exc)}", where)
            continue
        item = _article_from_record(obj, line_origin)
        yield replace(item, position=where) if isinstance(item, ReadError) else item
    if not any_line:
        yield ReadError(origin, "empty file")


def _skip_blank(stream: io.BufferedReader) -> Iterator[tuple[int, int]]:
    """Skip whitespace up to the next line with content, block by block; yield (bytes, newlines) per block.

    Millions of blank lines are the cheapest gzip bomb; skipping them one ``readline`` at a
    time would take an hour where this takes seconds. Yielding per block keeps the line count
    right up to where a limit stops the stream.
    """
    while ahead := stream.peek():
        blank = len(ahead) - len(ahead.lstrip(b" \t\r\n"))
        # Stop at the start of the line that holds content, so that it is read whole.
        cut = ahead.rfind(b"\n", 0, blank) + 1 if blank < len(ahead) else blank
        if cut == 0:
            return
        newlines = ahead.count(b"\n", 0, cut)
        yield len(stream.read(cut)), newlines
        if cut < len(ahead):
            return


def _skip_line(stream: IO[bytes]) -> int:
    """Read past the rest of an over-long line, in bounded chunks; return how many bytes that was."""
    skipped = 0
    while chunk := stream.readline(1 << 20):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _json_trouble(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def read_json(data: bytes, path: Path, origin: str) -> Iterator[Item]:
    """A ``.json`` file: one object, an array of objects, or JSON Lines under another name."""
    text = decode_utf8(data, origin)
    if isinstance(text, ReadError):
        yield text
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several top-level values: JSON Lines
            yield from read_jsonl(io.BytesIO(data), origin)
        else:
            yield ReadError(
                origin, f"broken JSON on line {exc.lineno}: {exc.msg} at column {exc.colno}", f"line {exc.lineno}"
            )
        return
    except (ValueError, RecursionError) as exc:
        yield ReadError(origin, f"JSON that cannot be read: {_json_trouble(exc)}")
        return
    if isinstance(doc, list):
        for i, obj in enumerate(doc):
            yield _article_from_record(obj, f"{origin}#{i}")
    else:
        item = _article_from_record(doc, origin)
        if isinstance(item, Article) and doc.get("id") in (None, ""):
            item = _with_id(item, stem(path))
        yield item


def _with_id(article: Article, art_id: str) -> Article:
    return replace(article, id=art_id)

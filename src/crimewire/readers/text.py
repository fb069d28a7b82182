"""Plain-text articles (``date YYYY-MM-DD`` marker, then the body) and JSON / JSON Lines records."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from crimewire.readers._common import (
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


def _article_from_record(obj: Any, origin: str) -> Item:
    """An article from one JSON object with our field names or news-please / CC-News ones."""
    if not isinstance(obj, dict):
        return ReadError(origin, f"not a JSON object but {type(obj).__name__}")
    text = first_text(obj, "text", "maintext", "body", "content")
    if text is None:
        return ReadError(origin, "no article text (no 'text' or 'maintext' field)")
    url = first_text(obj, "url")
    raw_id = obj.get("id")
    art_id = str(raw_id).strip() if raw_id not in (None, "") else short_hash(url or text)
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


def read_jsonl(stream: IO[bytes] | io.RawIOBase, origin: str) -> Iterator[Item]:
    """One article per line; a broken line is a ReadError naming ``file:line``."""
    buffered = io.BufferedReader(stream) if isinstance(stream, io.RawIOBase) else stream
    offset = 0
    any_line = False
    for number, raw in enumerate(buffered, start=1):
        line_origin = f"{origin}:{number}"
        line_offset = offset
        offset += len(raw)
        if not raw.strip():
            continue
        any_line = True
        text = decode_utf8(raw, line_origin, line_offset)
        if isinstance(text, ReadError):
            yield text
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield ReadError(line_origin, f"broken JSON on line {number}: {exc.msg} at column {exc.colno}")
            continue
        yield _article_from_record(obj, line_origin)
    if not any_line:
        yield ReadError(origin, "empty file")


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
            yield ReadError(origin, f"broken JSON on line {exc.lineno}: {exc.msg} at column {exc.colno}")
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

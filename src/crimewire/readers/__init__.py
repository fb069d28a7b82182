"""Reading articles from files: plain text, JSON Lines, HTML pages, WARC archives, RSS/Atom feeds.

``iter_articles`` is the one entry point. It streams: a JSON Lines file is read
line by line and a WARC file record by record, so memory stays flat whatever the
size of the corpus. Anything that is not an article comes out as a ``ReadError``
with a one-line reason and its position in the file, and reading goes on with the
rest; bad input never raises. The limits of ``Settings`` (``max_article_bytes``,
``max_decompressed_bytes``, ``max_html_depth``) bound what one file can cost.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, Any, cast

from crimewire.errors import InputError
from crimewire.readers._common import (
    MAX_DOCUMENT_BYTES,
    SNIFF_BYTES,
    BoundedReader,
    Item,
    implausible_date,
    inner_name,
    normalize_lang,
    one_line,
    parse_date,
    repair_mojibake,
    short_hash,
    stem,
)
from crimewire.readers.text import read_json, read_jsonl, read_text
from crimewire.readers.web import article_from_html, html_fragment_to_text, read_feed, read_warc
from crimewire.records import Article, ReadError
from crimewire.settings import Settings

__all__ = [
    "FORMAT_BY_SUFFIX",
    "html_fragment_to_text",
    "iter_articles",
    "normalize_lang",
    "parse_date",
    "read_file",
    "short_hash",
]

# Extensions that decide the format on their own (a trailing ".gz" is looked through).
# ".xml" and extension-less files are sniffed from their first bytes.
FORMAT_BY_SUFFIX: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "sniff",
}

_GLOB_CHARS = re.compile(r"[*?\[]")


# --------------------------------------------------------------------------- public


def iter_articles(
    paths: str | Path | Iterable[str | Path], settings: Settings | None = None
) -> Iterator[Article | ReadError]:
    """Yield every article found under ``paths``, or a ``ReadError`` for each input that is not one.

    ``paths`` may name files, folders (walked recursively in sorted order, hidden files
    and files of unknown type skipped) and glob patterns (``**`` allowed), or be one of them. Each file is
    read by its extension (``.txt``, ``.jsonl``/``.ndjson``/``.json``, ``.html``/``.htm``,
    ``.warc``, ``.rss``/``.atom``, sniffed ``.xml``), looking through a ``.gz`` suffix;
    other files named explicitly are sniffed from their content. The same file named
    twice is read once. ``settings`` gives the limits (the defaults when None).
    """
    settings = settings or Settings()
    if isinstance(paths, str | Path):
        # one path, not an iterable of its characters ("/data" would otherwise walk "/")
        paths = [paths]
    seen: set[Path] = set()
    for spec in paths:
        for found in _expand(spec):
            if isinstance(found, ReadError):
                yield found
                continue
            key = found.resolve()
            if key in seen:
                continue
            seen.add(key)
            yield from read_file(found, settings)


def read_file(path: str | Path, settings: Settings | None = None) -> Iterator[Article | ReadError]:
    """Yield the articles of one file (one for a text or HTML file, many for JSONL, WARC, feeds).

    Every article is checked on its way out (``_checked``): its size against
    ``max_article_bytes``, its publication date for plausibility, its text for mojibake.
    """
    settings = settings or Settings()
    p = Path(path)
    origin = str(p)
    today = date.today()
    try:
        for item in _read_by_format(p, origin, settings):
            yield from _checked(item, origin, settings, today)
    except InputError as exc:  # a limit was reached (the gzip reader's)
        yield ReadError(origin, exc.reason)
    except OSError as exc:
        yield ReadError(origin, f"cannot read file: {exc.strerror or exc}")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield ReadError(origin, f"broken gzip data: {one_line(exc)}")
    except Exception as exc:  # the contract is that bad input never raises; name what broke
        yield ReadError(origin, f"unreadable ({type(exc).__name__}): {one_line(exc)}")


def _checked(item: Item, origin: str, settings: Settings, today: date) -> Iterator[Item]:
    """One item as read, once checked: errors get their position, articles their limits.

    An article over ``max_article_bytes`` becomes a ReadError. A publication date before
    1900 or in the future is dropped: the article is kept with its date unknown and a
    ReadError says which date was rejected (so the run reports it and logs it).
    """
    position = _position(origin, item.origin)
    if isinstance(item, ReadError):
        yield item if item.position or not position else replace(item, position=position)
        return
    size = len(item.text.encode("utf-8", "surrogatepass"))
    if size > settings.max_article_bytes:
        reason = f"article text of {size:,} bytes, over the limit of {settings.max_article_bytes:,} (max_article_bytes)"
        yield ReadError(item.origin, reason, position)
        return
    article = replace(item, text=repair_mojibake(item.text), title=item.title and repair_mojibake(item.title))
    why = implausible_date(article.published, today) if article.published else None
    if why is None:
        yield article
        return
    yield replace(article, published=None)
    reason = f"publication date {article.published.isoformat()} rejected ({why}): stored with the date unknown"
    yield ReadError(item.origin, reason, position)


# Suffixes the readers add to a file's origin for a part of it: "f.jsonl:7", "f.json#3",
# "f.rss#entry-2", "f.warc#record-4".
_PART = re.compile(r"^(?::(?P<line>\d+)|#(?P<item>\d+)|#entry-(?P<entry>\d+)|#record-(?P<record>\d+))$")


def _position(file_origin: str, item_origin: str) -> str | None:
    """Where in its file an item comes from, read from the suffix the reader added to the origin."""
    if not item_origin.startswith(file_origin):
        return None
    m = _PART.match(item_origin[len(file_origin) :])
    if m is None:
        return None
    kind = next(k for k, v in m.groupdict().items() if v is not None)
    return f"{kind} {m[kind]}"


# --------------------------------------------------------------------------- finding files


def _expand(spec: str | Path) -> Iterator[Path | ReadError]:
    p = Path(spec)
    if p.is_dir():
        yield from _walk(p)
    elif p.is_file():
        yield p
    elif isinstance(spec, str) and _GLOB_CHARS.search(spec):
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches:
            yield ReadError(spec, "no file matches this pattern")
        for m in matches:
            mp = Path(m)
            if mp.is_dir():
                yield from _walk(mp)
            elif mp.is_file():
                yield mp
    else:
        yield ReadError(str(spec), "no such file or directory")


def _walk(folder: Path) -> Iterator[Path | ReadError]:
    # Sorted for a deterministic order; a list of paths (not contents) is cheap.
    files: list[Path] = []
    unreadable: list[ReadError] = []
    for f in folder.rglob("*"):
        if any(part.startswith(".") for part in f.relative_to(folder).parts) or _format_by_name(f) in (None, "unknown"):
            continue
        try:
            if f.is_file():
                files.append(f)
        except OSError as exc:  # e.g. in a folder without the x permission: one error, not a crash
            unreadable.append(ReadError(str(f), f"cannot read file: {exc.strerror or exc}"))
    yield from sorted(files, key=lambda f: f.relative_to(folder).parts)
    yield from unreadable


def _format_by_name(path: Path) -> str | None:
    """The format the extension names, "sniff" when it must be read, "unknown" for other types."""
    inner, _ = inner_name(path)
    suffix = Path(inner).suffix.lower()
    if not suffix:
        return "sniff"
    return FORMAT_BY_SUFFIX.get(suffix, "unknown")


# --------------------------------------------------------------------------- dispatch


@contextmanager
def _open(path: Path, max_decompressed: int) -> Iterator[IO[bytes]]:
    """Open ``path`` for binary reading, decompressing gzip whatever the file is called.

    Decompressed data passes through a ``BoundedReader``: past ``max_decompressed`` bytes,
    reading raises ``InputError``.
    """
    with path.open("rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        if magic != b"\x1f\x8b":
            yield raw
            return
        # GzipFile does not close the file it wraps: both are closed here.
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            bounded = io.BufferedReader(BoundedReader(cast(IO[bytes], unzipped), max_decompressed, str(path)))
            yield cast(IO[bytes], bounded)


def _read_by_format(path: Path, origin: str, settings: Settings) -> Iterator[Item]:
    fmt = _format_by_name(path)
    if fmt == "warc":
        # warcio reads plain and gzipped WARC itself, member by member.
        yield from read_warc(path, origin, settings)
        return
    with _open(path, settings.max_decompressed_bytes) as stream:
        head = stream.read(SNIFF_BYTES)
        if not head:
            yield ReadError(origin, "empty file")
            return
        if fmt in ("sniff", "unknown"):
            fmt = _sniff(head)
        if fmt == "warc":
            yield from read_warc(path, origin, settings)
            return
        if fmt == "binary" or b"\x00" in head:
            yield ReadError(origin, "binary file")
            return
        if fmt == "json" and _first_line_is_json(head):
            fmt = "jsonl"  # JSON Lines under a .json name: stream it
        if fmt == "jsonl":
            yield from read_jsonl(_Rewound(head, stream), origin)
            return
        # A text file is one article: read no more of it than an article may hold.
        cap = settings.max_article_bytes if fmt == "text" else MAX_DOCUMENT_BYTES
        data = head + stream.read(max(cap + 1 - len(head), 0))
        if len(data) > cap:
            if fmt == "text":
                reason = f"text file over the limit of {cap:,} bytes for one article (max_article_bytes)"
                yield ReadError(origin, reason)
            else:
                yield ReadError(origin, f"file larger than {MAX_DOCUMENT_BYTES // 2**20} MB, not one article")
            return
    if fmt == "json":
        yield from read_json(data, path, origin)
    elif fmt == "html":
        yield article_from_html(data, origin, art_id=stem(path), max_depth=settings.max_html_depth)
    elif fmt == "feed":
        yield from read_feed(data, origin)
    elif fmt == "xml":
        yield ReadError(origin, "XML that is neither an RSS/Atom feed nor an HTML page")
    else:
        yield read_text(data, path, origin)


def _sniff(head: bytes) -> str:
    """Guess a format from the first bytes of a file."""
    if head.startswith(b"WARC/"):
        return "warc"
    if b"\x00" in head:
        return "binary"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith((b"{", b"[")):
        return "json"
    if start.startswith(b"<"):
        low = start[:SNIFF_BYTES].lower()
        # Drop the XML declaration, comments and processing instructions before the root tag.
        low = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", low, flags=re.DOTALL).lstrip()
        if low.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
            return "feed"
        if low.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in low:
            return "html"
        if b"<rss" in low or b"<feed" in low:
            return "feed"
        return "xml" if start.startswith(b"<?xml") else "html"
    return "text"


def _first_line_is_json(head: bytes) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n").split(b"\n", 1)
    if len(first) < 2:
        return False  # one line only (or longer than the sniffed block): read it whole
    try:
        return isinstance(json.loads(first[0]), dict)
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return False


class _Rewound(io.RawIOBase):
    """A stream whose first bytes were already read for sniffing, put back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._rest.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

"""Reading articles from files: plain text, JSON Lines, HTML pages, WARC archives, RSS/Atom feeds.

``iter_articles`` is the one entry point. It streams: a JSON Lines file is read
line by line and a WARC file record by record, so memory stays flat whatever the
size of the corpus. Anything that is not an article comes out as a ``ReadError``
with a one-line reason, and reading goes on with the rest; bad input never raises.
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
from pathlib import Path
from typing import IO, Any, cast

from crimewire.readers._common import (
    MAX_DOCUMENT_BYTES,
    SNIFF_BYTES,
    Item,
    inner_name,
    normalize_lang,
    one_line,
    parse_date,
    short_hash,
    stem,
)
from crimewire.readers.text import read_json, read_jsonl, read_text
from crimewire.readers.web import article_from_html, html_fragment_to_text, read_feed, read_warc
from crimewire.records import Article, ReadError

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


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Article | ReadError]:
    """Yield every article found under ``paths``, or a ``ReadError`` for each input that is not one.

    ``paths`` may name files, folders (walked recursively in sorted order, hidden files
    and files of unknown type skipped) and glob patterns (``**`` allowed). Each file is
    read by its extension (``.txt``, ``.jsonl``/``.ndjson``/``.json``, ``.html``/``.htm``,
    ``.warc``, ``.rss``/``.atom``, sniffed ``.xml``), looking through a ``.gz`` suffix;
    other files named explicitly are sniffed from their content. The same file named
    twice is read once.
    """
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
            yield from read_file(found)


def read_file(path: str | Path) -> Iterator[Article | ReadError]:
    """Yield the articles of one file (one for a text or HTML file, many for JSONL, WARC, feeds)."""
    p = Path(path)
    origin = str(p)
    try:
        yield from _read_by_format(p, origin)
    except OSError as exc:
        yield ReadError(origin, f"cannot read file: {exc.strerror or exc}")
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield ReadError(origin, f"broken gzip data: {one_line(exc)}")
    except Exception as exc:  # the contract is that bad input never raises; name what broke
        yield ReadError(origin, f"unreadable ({type(exc).__name__}): {one_line(exc)}")


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


def _walk(folder: Path) -> Iterator[Path]:
    # Sorted for a deterministic order; a list of paths (not contents) is cheap.
    files = [
        f
        for f in folder.rglob("*")
        if f.is_file()
        and not any(part.startswith(".") for part in f.relative_to(folder).parts)
        and _format_by_name(f) not in (None, "unknown")
    ]
    yield from sorted(files, key=lambda f: f.relative_to(folder).parts)


def _format_by_name(path: Path) -> str | None:
    """The format the extension names, "sniff" when it must be read, "unknown" for other types."""
    inner, _ = inner_name(path)
    suffix = Path(inner).suffix.lower()
    if not suffix:
        return "sniff"
    return FORMAT_BY_SUFFIX.get(suffix, "unknown")


# --------------------------------------------------------------------------- dispatch


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    """Open ``path`` for binary reading, decompressing gzip whatever the file is called."""
    with path.open("rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        if magic != b"\x1f\x8b":
            yield raw
            return
        # GzipFile does not close the file it wraps: both are closed here.
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            yield cast(IO[bytes], unzipped)


def _read_by_format(path: Path, origin: str) -> Iterator[Item]:
    fmt = _format_by_name(path)
    if fmt == "warc":
        # warcio reads plain and gzipped WARC itself, member by member.
        yield from read_warc(path, origin)
        return
    with _open(path) as stream:
        head = stream.read(SNIFF_BYTES)
        if not head:
            yield ReadError(origin, "empty file")
            return
        if fmt in ("sniff", "unknown"):
            fmt = _sniff(head)
        if fmt == "warc":
            yield from read_warc(path, origin)
            return
        if fmt == "binary" or b"\x00" in head:
            yield ReadError(origin, "binary file")
            return
        if fmt == "json" and _first_line_is_json(head):
            fmt = "jsonl"  # JSON Lines under a .json name: stream it
        if fmt == "jsonl":
            yield from read_jsonl(_Rewound(head, stream), origin)
            return
        data = head + stream.read(MAX_DOCUMENT_BYTES + 1 - len(head))
        if len(data) > MAX_DOCUMENT_BYTES:
            yield ReadError(origin, f"file larger than {MAX_DOCUMENT_BYTES // 2**20} MB, not one article")
            return
    if fmt == "json":
        yield from read_json(data, path, origin)
    elif fmt == "html":
        yield article_from_html(data, origin, art_id=stem(path))
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
    except ValueError:
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

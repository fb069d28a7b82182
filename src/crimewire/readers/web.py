"""Web formats: HTML pages (trafilatura), WARC archives (warcio), RSS and Atom feeds (feedparser).

Nothing here touches the network: every library is handed bytes already read.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from dataclasses import replace
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any

from crimewire.readers._common import (
    MAX_DOCUMENT_BYTES,
    SNIFF_BYTES,
    Item,
    normalize_lang,
    one_line,
    parse_date,
    short_hash,
)
from crimewire.records import Article, ReadError
from crimewire.settings import Settings

# trafilatura returns a few words for pages with no article (a menu, a cookie wall); fewer
# non-space characters than this is "no main text". 25 is shorter than any one-sentence news brief.
MIN_HTML_TEXT_CHARS = 25

_HTML_LANG = re.compile(
    rb"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})(?:[-_][A-Za-z]+)?["'\s>]"""
    rb"""|<meta\b[^>]*?http-equiv\s*=\s*["']?content-language["']?[^>]*?content\s*=\s*["']?([A-Za-z]{2,3})"""
    rb"""|<meta\b[^>]*?property\s*=\s*["']og:locale["'][^>]*?content\s*=\s*["']?([A-Za-z]{2,3})""",
    re.IGNORECASE,
)


def _declared_html_lang(data: bytes) -> str | None:
    m = _HTML_LANG.search(data[: SNIFF_BYTES * 4])
    if not m:
        return None
    code = next(g for g in m.groups() if g)
    return normalize_lang(code.decode("ascii", "ignore"))


# The publication date a page states in its markup: OpenGraph/article meta, schema.org JSON-LD,
# or a <time datetime> element. Read before trafilatura's own search, which can prefer a date
# in the URL ("/2023/01/26-victims-...") over these (14 of 300 benchmark pages).
_STATED_DATE = re.compile(
    rb"""(?:property|name|itemprop)=["'](?:article:published_time|og:published_time|datePublished|"""
    rb"""pubdate|publishdate|date|DC\.date\.issued|sailthru\.date)["'][^>]*?content=["']([^"']{8,40})["']"""
    rb"""|content=["']([^"']{8,40})["'][^>]*?(?:property|name|itemprop)=["'](?:article:published_time|"""
    rb"""og:published_time|datePublished|pubdate|publishdate)["']"""
    rb'|"datePublished"\s*:\s*"([^"]{8,40})"',
    re.IGNORECASE,
)


def stated_date(data: bytes) -> date | None:
    """The publication date the page's markup states, if any."""
    m = _STATED_DATE.search(data[:200_000])
    if not m:
        return None
    raw = next(g for g in m.groups() if g)
    return parse_date(raw.decode("ascii", "ignore"))


def html_depth_over(data: bytes, limit: int) -> bool:
    """Whether the page, parsed as trafilatura's lxml parses it, nests elements deeper than ``limit``.

    libxml2 stops building the tree at depth 256 and drops what lies below, so a page
    nested 10,000 deep parses as one 256 deep: past any limit under that. The test is one
    XPath (``/*/*/...``, ``limit + 1`` steps) evaluated in C: a single walk of the tree.
    """
    import lxml.etree

    try:
        root = lxml.etree.fromstring(data, lxml.etree.HTMLParser(recover=True, no_network=True))
    except Exception:  # lxml rejects some broken bytes outright; trafilatura reports those
        return False
    if root is None:
        return False
    return bool(root.getroottree().xpath("boolean(" + "/*" * (limit + 1) + ")"))


def article_from_html(
    data: bytes,
    origin: str,
    *,
    url: str | None = None,
    fallback_date: date | None = None,
    art_id: str | None = None,
    max_depth: int | None = None,
) -> Item:
    """Main text and metadata of one HTML page, by trafilatura (offline: it is given the bytes).

    ``art_id`` names the article (a file's stem); without it, a hash of the page's URL. A
    page nested deeper than ``max_depth`` (None: the setting's default) is a ReadError.
    Scripts and styles are never run and never kept: trafilatura drops them with the rest
    of the page's furniture.
    """
    import trafilatura  # imported here: it takes ~0.5 s and only HTML input needs it

    max_depth = Settings().max_html_depth if max_depth is None else max_depth
    if html_depth_over(data, max_depth):
        return ReadError(origin, f"HTML nested deeper than {max_depth} elements (max_html_depth)")
    try:
        tree = _page_tree(data)
        doc = None if tree is None else trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            # Only dates the page states in its markup, not guesses from the body text.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura/lxml raise many types on malformed pages
        return ReadError(origin, f"HTML that cannot be parsed: {one_line(exc)}")
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(re.sub(r"\s", "", text)) < MIN_HTML_TEXT_CHARS:
        return ReadError(origin, "HTML with no main text")
    page_url = getattr(doc, "url", None) or url
    return Article(
        id=art_id or short_hash(page_url or text),
        text=text,
        published=stated_date(data) or parse_date(getattr(doc, "date", None)) or fallback_date,
        title=getattr(doc, "title", None) or None,
        url=page_url,
        lang=normalize_lang(getattr(doc, "language", None)) or _declared_html_lang(data),
        outlet=getattr(doc, "sitename", None) or getattr(doc, "hostname", None) or None,
        origin=origin,
    )


# Elements whose content is a fallback for browsers without frames or scripts, kept by the
# parser as raw text: markup in it would reach the article text as literal "<script>".
_FALLBACK_ELEMENTS = "//iframe|//noscript|//noembed|//noframes"


def _page_tree(data: bytes) -> Any:
    """The page parsed by trafilatura's loader (which guesses the encoding), fallbacks dropped."""
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is not None:
        for element in tree.xpath(_FALLBACK_ELEMENTS):
            element.drop_tree()
    return tree


# --------------------------------------------------------------------------- WARC


def read_warc(path: Path, origin: str, settings: Settings | None = None) -> Iterator[Item]:
    """HTML ``response`` records of a WARC file; a bad record is a ReadError for ``file#record-N``.

    When warcio cannot parse a record, reading resumes at the next record header
    found in the file (``WARC/1.`` at a line start, or the next gzip member), so one
    damaged record never loses the rest of the file. N counts records from 1, a
    damaged stretch counting as one; each error's position gives N and the byte offset
    where the record starts (in a .warc.gz, the offset of its gzip member). Reading
    stops at a record that declares more content than ``max_decompressed_bytes`` in all.
    """
    from warcio.archiveiterator import ArchiveIterator

    settings = settings or Settings()
    number = 0
    declared = 0  # content bytes the records read so far declare, summed
    with path.open("rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
        start = 0
        while True:
            raw.seek(start)
            iterator = ArchiveIterator(raw)
            records = iter(iterator)
            record_end = start
            try:
                while True:
                    with _warcio_muted():
                        record = next(records, None)
                        if record is None:
                            return
                        number += 1
                        # Where this record starts; get_record_offset() would read the record to its end first.
                        at = int(getattr(iterator, "offset", record_end))
                        where = f"record {number} at byte {at}"
                        record_origin = f"{origin}#record-{number}"
                        broken = _broken_headers(record)
                        declared += max(record.length or 0, 0) if not broken else 0
                        if broken:
                            items: list[Item] = [ReadError(record_origin, f"broken WARC record at byte {at}: {broken}")]
                        elif declared > settings.max_decompressed_bytes:
                            limit = settings.max_decompressed_bytes
                            reason = f"WARC records declaring more than {limit:,} bytes (max_decompressed_bytes)"
                            yield ReadError(record_origin, f"{reason}; the rest is not read", where)
                            return
                        else:
                            items = list(_warc_record(record, record_origin, settings))
                        # Offsets are absolute: warcio starts counting at the stream's position.
                        record_end = iterator.get_record_offset() + iterator.get_record_length()
                    for item in items:
                        yield replace(item, position=where) if isinstance(item, ReadError) else item
            except Exception as exc:  # warcio raises ArchiveLoadFailed, ValueError, AttributeError...
                number += 1
                # warcio reports a truncated record as an AttributeError on a missing line.
                why = "truncated record" if isinstance(exc, AttributeError) else one_line(exc)
                failed = _failed_record_start(raw, record_end, gzipped)
                at = max(failed, record_end)
                reason = f"broken WARC record at byte {at}: {why}"
                yield ReadError(f"{origin}#record-{number}", reason, f"record {number} at byte {at}")
            next_start = _next_warc_record(raw, failed + 1, gzipped)
            if next_start is None:
                return
            start = next_start


@contextmanager
def _warcio_muted() -> Iterator[None]:
    """Keep what warcio writes to stderr on its own out of the output while it reads a record.

    On a damaged archive warcio prints a three-line warning (a record not followed by a blank
    line), the zlib error of a broken gzip member, and logs repaired URIs; the record's one
    ReadError line says it instead. Our own items are yielded outside this block.
    """
    with redirect_stderr(io.StringIO()):
        yield


def _broken_headers(record: Any) -> str | None:
    """What is wrong with a record's WARC headers, or None: every record needs a type and a length."""
    if not str(getattr(record, "format", "warc")).startswith("warc"):
        return None  # ARC records have headers of another kind
    length = record.rec_headers.get_header("Content-Length")
    if length is None or not length.strip().isdigit():
        return f"Content-Length {length!r} is not a number"
    if not record.rec_headers.get_header("WARC-Type"):
        return "no WARC-Type header"
    return None


def _failed_record_start(raw: IO[bytes], record_end: int, gzipped: bool) -> int:
    """Where the record that failed begins: past the blank lines that end the last good one."""
    raw.seek(record_end)
    peek = raw.read(64)
    skipped = len(peek) - len(peek.lstrip(b"\r\n"))
    marker = b"\x1f\x8b" if gzipped else b"WARC/"
    # Garbage that is no record header at all is skipped from its first byte instead.
    return record_end + skipped if peek[skipped:].startswith(marker) else record_end - 1


def _next_warc_record(raw: IO[bytes], position: int, gzipped: bool) -> int | None:
    """Offset of the next record header at or after ``position``, scanning in bounded chunks."""
    marker = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    chunk_size = 1 << 20
    raw.seek(position)
    base = position
    carry = b""
    while True:
        chunk = raw.read(chunk_size)
        if not chunk:
            return None
        window = carry + chunk
        found = window.find(marker)
        if found >= 0:
            at = base - len(carry) + found
            return at if gzipped else at + 1
        carry = window[-(len(marker) - 1) :]
        base += len(chunk)


def _warc_record(record: Any, origin: str, settings: Settings) -> Iterator[Item]:
    if record.rec_type != "response" or record.http_headers is None:
        return
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if "html" not in content_type:
        return
    status = record.http_headers.get_statuscode() or ""
    if not str(status).startswith("2"):
        return  # redirects and error pages are not articles
    try:
        payload = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
    except Exception as exc:  # a bad chunked or gzip content encoding
        yield ReadError(origin, f"unreadable WARC payload: {one_line(exc)}")
        return
    if len(payload) > MAX_DOCUMENT_BYTES:
        yield ReadError(origin, f"page larger than {MAX_DOCUMENT_BYTES // 2**20} MB, not one article")
        return
    if not payload.strip():
        yield ReadError(origin, "empty HTML response")
        return
    url = record.rec_headers.get_header("WARC-Target-URI")
    yield article_from_html(
        payload,
        origin,
        url=url,
        fallback_date=parse_date(record.rec_headers.get_header("WARC-Date")),
        max_depth=settings.max_html_depth,
    )


# --------------------------------------------------------------------------- RSS / Atom


# Elements that end a paragraph of a feed entry's HTML.
_BLOCK_TAGS = frozenset(
    re.findall(r"\S+", "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article figure pre")
)


def html_fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary): tags dropped, paragraphs kept as blank lines."""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml rejects some broken fragments; fall back to a tag regex
        return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = ("\n" if el.tag.lower() == "br" else "\n\n") + (el.tail or "")
    text = root.text_content()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _entry_date(entry: Any) -> date | None:
    """The day an entry was published (else updated), in the feed's own time zone.

    feedparser's ``*_parsed`` values are converted to UTC, which moves an evening story in
    the Americas to the next day; the raw string keeps the publisher's calendar day.
    """
    for key in ("published", "updated"):
        raw = entry.get(key)
        if not raw:
            continue
        day = parse_date(raw)  # ISO 8601 (Atom)
        if day is None:
            try:
                day = parsedate_to_datetime(raw).date()  # RFC 822 (RSS)
            except (TypeError, ValueError, IndexError):
                day = None
        if day is None:
            stamp = entry.get(f"{key}_parsed")
            day = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
        if day is not None:
            return day
    return None


def read_feed(data: bytes, origin: str) -> Iterator[Item]:
    """One article per feed entry: text from content or summary, date from published/updated."""
    import feedparser

    # A stream, never a string: feedparser treats a string as a URL or file name.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # feedparser's encoding sniffing raises on a damaged XML declaration
        yield ReadError(origin, f"broken feed: {one_line(exc)}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            yield ReadError(origin, f"broken feed: {one_line(parsed.get('bozo_exception', 'unparsable'))}")
        elif parsed.get("version"):
            yield ReadError(origin, "feed with no entries")
        else:
            yield ReadError(origin, "not an RSS or Atom feed")
        return
    feed = parsed.get("feed") or {}
    feed_lang = normalize_lang(feed.get("language"))
    outlet = feed.get("title") or None
    for number, entry in enumerate(entries, start=1):
        entry_origin = f"{origin}#entry-{number}"
        contents = [c.get("value", "") for c in entry.get("content") or []]
        body = max(contents, key=len) if contents else ""
        if not body.strip():
            body = entry.get("summary") or ""
        text = html_fragment_to_text(body)
        if not text:
            yield ReadError(entry_origin, "feed entry with no text")
            continue
        published = _entry_date(entry)
        link = entry.get("link") or None
        yield Article(
            id=short_hash(entry.get("id") or link or text),
            text=text,
            published=published,
            title=html_fragment_to_text(entry.get("title") or "") or None,
            url=link,
            lang=normalize_lang(entry.get("language")) or feed_lang,
            outlet=outlet,
            origin=entry_origin,
        )

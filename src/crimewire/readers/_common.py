"""Helpers shared by the readers: ids, dates, declared languages, decoding, file names."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crimewire.records import Article, ReadError

Item = Article | ReadError

# A single-document file (text, HTML page, feed) larger than this is not one article; the
# largest news page we know of is a few MB of HTML. Streaming formats (JSONL, WARC) have no cap.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
# A NUL byte in the first block marks a binary file: no text encoding we read produces one.
SNIFF_BYTES = 8192

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def one_line(exc: BaseException | str) -> str:
    """The first line of an exception's message, for a one-line ReadError reason."""
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def decode_utf8(data: bytes, origin: str, offset: int = 0) -> str | ReadError:
    """``data`` as UTF-8, or a ReadError naming the bad byte (``offset``: where ``data`` starts)."""
    try:
        return data.decode("utf-8-sig" if offset == 0 else "utf-8")
    except UnicodeDecodeError as exc:
        bom = 3 if offset == 0 and data.startswith(b"\xef\xbb\xbf") else 0
        return ReadError(origin, f"invalid UTF-8 at byte {offset + exc.start + bom}")


def inner_name(path: Path) -> tuple[str, bool]:
    """The file name without a trailing ``.gz``, and whether there was one."""
    name = path.name
    if name.lower().endswith(".gz"):
        return name[:-3], True
    return name, False


def stem(path: Path) -> str:
    """The article id a file gives: its name without extensions (``a/007.txt.gz`` -> ``007``)."""
    inner, _ = inner_name(path)
    return Path(inner).stem


def short_hash(text: str) -> str:
    """A short stable id for an article that has none: 12 hex digits of the SHA-1 of ``text``."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def parse_date(value: Any) -> date | None:
    """The calendar day of an ISO-like date or timestamp ("2023-12-29", "2023-12-29 10:00:00").

    Returns None for anything else: a date is never invented.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def normalize_lang(value: Any) -> str | None:
    """ISO 639-1 code of a declared language tag ("es-ES" -> "es"), or None."""
    if not isinstance(value, str):
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def first_text(obj: dict[str, Any], *keys: str) -> str | None:
    """The first non-blank string among ``obj[key]`` for ``keys``, stripped."""
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None

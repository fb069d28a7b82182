"""Helpers shared by the readers: ids, dates, declared languages, decoding, file names."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from crimewire.errors import InputError
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
    """``data`` as UTF-8, or a ReadError naming the bad byte (``offset``: where ``data`` starts).

    No other encoding is guessed: a Latin-1 file, or UTF-8 with stray Latin-1 bytes, is
    reported rather than read with wrong letters. Valid UTF-8 that holds mojibake (text
    decoded with the wrong codec once before, "QuerÃ©taro") is repaired later, by
    ``repair_mojibake``.
    """
    try:
        return data.decode("utf-8-sig" if offset == 0 else "utf-8")
    except UnicodeDecodeError as exc:
        bom = 3 if offset == 0 and data.startswith(b"\xef\xbb\xbf") else 0
        at = offset + exc.start + bom
        return ReadError(origin, f"invalid UTF-8 at byte {at}", f"byte {at}")


def repair_mojibake(text: str) -> str:
    """``text`` with clear mojibake undone ("QuerÃ©taro" -> "Querétaro"), by ftfy.

    Only ftfy's encoding repair runs (``fix_encoding``): quotes, ligatures, widths, line
    breaks and control characters are left as written, so clean text comes back unchanged.
    """
    if text.isascii():
        return text  # mojibake always holds non-ASCII characters; skip the import and the scan
    import ftfy

    return ftfy.fix_encoding(text)


class BoundedReader(io.RawIOBase):
    """A binary stream that raises ``InputError`` once more than ``limit`` bytes were read from it.

    Wraps a decompressing stream, so that a gzip bomb stops at the limit instead of filling
    memory or the disk; nothing past the limit is ever decompressed.
    """

    def __init__(self, inner: IO[bytes], limit: int, origin: str) -> None:
        self._inner = inner
        self._limit = limit
        self._origin = origin
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # Ask for at most one byte past the limit: enough to know it was passed.
        want = min(len(buffer), self._limit + 1 - self._count)
        chunk = self._inner.read(want) if want > 0 else b""
        self._count += len(chunk)
        if self._count > self._limit:
            raise InputError(
                self._origin,
                f"more than {self._limit:,} bytes once decompressed (max_decompressed_bytes): "
                "a gzip bomb, or a file to split; the rest is not read",
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


# The span of publication dates an article can have. Before 1900 there is no news report we
# could read (a year like 0024 or 1024 is a broken template); after tomorrow (a day of slack
# for time zones ahead of the machine's) it has not been published yet.
EARLIEST_PUBLICATION = date(1900, 1, 1)


def implausible_date(value: date, today: date) -> str | None:
    """Why ``value`` cannot be a publication date, or None when it can."""
    if value < EARLIEST_PUBLICATION:
        return "before 1900"
    if value > today + timedelta(days=1):
        return "in the future"
    return None


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

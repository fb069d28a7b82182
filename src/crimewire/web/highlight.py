"""Text cut into segments at offsets, for highlighting without ever marking up untrusted text.

The page templates print each segment with autoescape and wrap highlighted ones in a
``<mark>`` whose class names come from this module's fixed vocabulary, never from the data:
article text and names can hold ``<script>`` and stay text.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crimewire.records import OffsetMap

# The kinds of span a page can highlight; they become CSS classes (``hl-<kind>``).
KINDS = frozenset({"evidence", "trigger", "place", "organization", "agency", "nationality", "person", "match"})


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open ``[start, end)`` range of a text to highlight as ``kind``."""

    start: int
    end: int
    kind: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text with the kinds of the spans covering it (none: plain text)."""

    text: str
    kinds: tuple[str, ...] = ()
    label: str = ""

    @property
    def css(self) -> str:
        """The CSS classes of the segment's kinds."""
        return " ".join(f"hl-{k}" for k in self.kinds)


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """``text`` cut at every span boundary; overlapping spans give segments with several kinds.

    Spans outside the text are clipped, empty ones and unknown kinds are dropped.
    """
    kept = [
        Span(max(0, s.start), min(len(text), s.end), s.kind, s.label)
        for s in spans
        if s.kind in KINDS and min(len(text), s.end) > max(0, s.start)
    ]
    cuts = sorted({0, len(text), *(s.start for s in kept), *(s.end for s in kept)})
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        covering = [s for s in kept if s.start <= a and b <= s.end]
        kinds = tuple(dict.fromkeys(s.kind for s in covering))
        label = "; ".join(dict.fromkeys(s.label for s in covering if s.label))
        out.append(Segment(text[a:b], kinds, label))
    return out


def to_clean(offsets: OffsetMap, pos: int) -> int | None:
    """The cleaned-text offset of original offset ``pos`` (``None`` if it was removed)."""
    for clean_start, orig_start, length in offsets.segments:
        if orig_start <= pos < orig_start + length or (length and pos == orig_start + length):
            return clean_start + (pos - orig_start)
    return None


def find_span(text: str, start: int | None, end: int | None, sentence: str) -> tuple[int, int] | None:
    """Where ``sentence`` is in ``text``: at the stored offsets when they hold it, else searched."""
    if start is not None and end is not None and text[start:end] == sentence:
        return start, end
    if sentence:
        found = text.find(sentence)
        if found >= 0:
            return found, found + len(sentence)
    return None


def marked(snippet: str, marks: Sequence[str]) -> list[Segment]:
    """A search snippet whose matches sit between ``marks`` as segments (matches: ``match``)."""
    open_mark, close_mark = marks
    out: list[Segment] = []
    rest = snippet
    while rest:
        i = rest.find(open_mark)
        if i < 0:
            out.append(Segment(rest))
            break
        if i:
            out.append(Segment(rest[:i]))
        j = rest.find(close_mark, i + len(open_mark))
        j = len(rest) if j < 0 else j
        out.append(Segment(rest[i + len(open_mark) : j], ("match",)))
        rest = rest[j + len(close_mark) :]
    return out

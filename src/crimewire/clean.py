"""Cleaning article bodies: clutter out, with a map from every kept character back to the original.

``clean_article`` runs three passes, each a list of edits over the previous pass's text;
their offset maps are composed so that ``CleanArticle.offsets`` maps straight into
``Article.text``:

1. markup: HTML tags, comments and embedded elements removed, entities decoded
   (``&#8217;`` -> ``’``);
2. clutter: whole lines and inline pieces matched by ``data/clutter.toml`` removed
   (teasers, related-news lists, embedded-post footers, bylines, widgets, captions, menus);
3. layout: blank-line runs normalized, paragraphs broken mid-sentence rejoined, a space put
   back between sentences glued at a full stop ("in 2013.The indictment").

Every non-whitespace piece that passes 1 and 2 take out is kept as a ``RemovedText``
with offsets into ``Article.text`` and a reason.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from crimewire.errors import DataError
from crimewire.records import Article, CleanArticle, OffsetMap, RemovedText

Segment = tuple[int, int, int]  # (new_start, old_start, length): a run copied unchanged

# A related-news list under a header holds headlines; a line longer than this is text again.
# The longest headline line in the dev set's lists is 152 characters; 300 leaves room for
# two-sentence teasers.
MAX_LIST_ITEM_CHARS = 300
MAX_LIST_ITEMS = 15
# A "paragraph" (where the article body starts) has at least this many words and a sentence end;
# headlines, kickers and menu lines have fewer (dev-set headlines: 7-20 words, none with a
# sentence-ending full stop).
MIN_PARAGRAPH_WORDS = 12
# A line this short is a label or headline, never half of a broken sentence.
MIN_JOIN_WORDS = 3

_BULLET = re.compile(r"(?:[-–—•·*▪►]\s*\S|\d{1,2}[.)]\s+\S)")
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)]*(?:\s|$)")


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class ClutterGroup:
    """One family of clutter patterns from ``clutter.toml``."""

    name: str
    reason: str
    kind: str  # "line" | "header" | "inline"
    max_chars: int
    patterns: tuple[re.Pattern[str], ...]
    max_items: int = 0  # "header": how many lines under it go with it
    # The patterns as one alternation, for whole-line tests: one scan of a line instead of
    # one per pattern (speed; None when they cannot be joined, e.g. a pattern sets global flags).
    whole: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class ClutterRules:
    """Everything the cleaner knows about clutter, loaded from ``clutter.toml``."""

    groups: tuple[ClutterGroup, ...]
    nav_words: frozenset[str]
    nav_reason: str
    nav_max_chars: int
    nav_min_share: float
    terminal: str
    connectors: frozenset[str]


@cache
def load_clutter_rules(path: str | None = None) -> ClutterRules:
    """Load and compile the clutter rules (the bundled ``data/clutter.toml`` unless ``path``).

    Cached: each process compiles the patterns once.
    """
    if path is None:
        source = resources.files("crimewire").joinpath("data/clutter.toml")
        where = "crimewire/data/clutter.toml"
    else:
        source = Path(path)  # type: ignore[assignment]
        where = path
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{where}: cannot read clutter rules: {exc}") from exc
    try:
        return _compile_rules(data)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise DataError(f"{where}: invalid clutter rules: {exc}") from exc


def _expand_placeholders(pattern: str, placeholders: dict[str, str]) -> str:
    # Placeholders may use other placeholders ({DATE} uses {MONTH}); a few rounds settle it.
    for _ in range(3):
        for name, value in placeholders.items():
            pattern = pattern.replace("{" + name + "}", value)
    return pattern


def _compile_rules(data: dict) -> ClutterRules:
    placeholders = {str(k): str(v) for k, v in data.get("placeholders", {}).items()}
    groups = []
    for raw in data["group"]:
        kind = raw["kind"]
        if kind not in ("line", "header", "inline"):
            raise ValueError(f"group {raw.get('name')!r}: unknown kind {kind!r}")
        flags = re.IGNORECASE if raw.get("ignore_case", True) else 0
        try:
            patterns = tuple(
                re.compile(_expand_placeholders(p, placeholders), flags) for p in raw["patterns"]
            )
        except re.error as exc:
            raise ValueError(f"group {raw.get('name')!r}: {exc}") from exc
        try:
            whole = re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags) if kind != "inline" else None
        except re.error:
            whole = None
        groups.append(
            ClutterGroup(
                name=raw["name"],
                reason=raw["reason"],
                kind=kind,
                max_chars=int(raw.get("max_chars", 10_000)),
                patterns=patterns,
                max_items=int(raw.get("max_items", MAX_LIST_ITEMS)) if kind == "header" else 0,
                whole=whole,
            )
        )
    nav = data["nav"]
    rejoin = data["rejoin"]
    return ClutterRules(
        groups=tuple(groups),
        nav_words=frozenset(w.lower() for w in nav["words"]),
        nav_reason=nav.get("reason", "nav"),
        nav_max_chars=int(nav.get("max_chars", 200)),
        nav_min_share=float(nav.get("min_share", 0.75)),
        terminal=rejoin["terminal"],
        connectors=frozenset(w.lower() for w in rejoin["connectors"]),
    )


# --------------------------------------------------------------------------- edits and maps


@dataclass(frozen=True, slots=True)
class _Edit:
    """Replace ``text[start:end]`` by ``replacement``."""

    start: int
    end: int
    replacement: str = ""


@dataclass(frozen=True, slots=True)
class _Piece:
    """A removed piece to report: span in the pass's input text, and why."""

    start: int
    end: int
    reason: str


def _merge_deletions(spans: Iterable[tuple[int, int]]) -> list[_Edit]:
    """Union of deletion spans as sorted, non-overlapping edits."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [_Edit(s, e) for s, e in merged if e > s]


def _apply(text: str, edits: Sequence[_Edit]) -> tuple[str, list[Segment]]:
    """Apply sorted, non-overlapping edits; return the new text and its copied segments."""
    out: list[str] = []
    segments: list[Segment] = []
    pos = 0
    new_len = 0
    for edit in edits:
        if edit.start > pos:
            out.append(text[pos : edit.start])
            segments.append((new_len, pos, edit.start - pos))
            new_len += edit.start - pos
        out.append(edit.replacement)
        new_len += len(edit.replacement)
        pos = max(pos, edit.end)
    if pos < len(text):
        out.append(text[pos:])
        segments.append((new_len, pos, len(text) - pos))
    return "".join(out), segments


def compose_segments(outer: Sequence[Segment], inner: Sequence[Segment]) -> list[Segment]:
    """Segments C->A from segments C->B (``outer``) and B->A (``inner``).

    A character of C maps to A only if it was copied at both steps; characters that
    either step synthesized stay unmapped (between segments).
    """
    result: list[Segment] = []
    j = 0
    for c_start, b_start, length in outer:
        b, c, remaining = b_start, c_start, length
        while remaining > 0:
            while j < len(inner) and inner[j][0] + inner[j][2] <= b:
                j += 1
            if j == len(inner):
                break
            ib, ia, ilen = inner[j]
            if b < ib:  # a synthesized stretch of B: skip it
                skip = min(remaining, ib - b)
                b, c, remaining = b + skip, c + skip, remaining - skip
                continue
            take = min(remaining, ib + ilen - b)
            a = ia + (b - ib)
            last = result[-1] if result else None
            if last and last[0] + last[2] == c and last[1] + last[2] == a:
                result[-1] = (last[0], last[1], last[2] + take)
            else:
                result.append((c, a, take))
            b, c, remaining = b + take, c + take, remaining - take
    return result


# --------------------------------------------------------------------------- pass 1: markup

_TAG_NAMES = (
    "a|abbr|article|aside|audio|b|big|blockquote|body|br|button|caption|center|cite|code|dd|del|div|dl|"
    "dt|em|embed|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|"
    "label|li|link|main|mark|meta|nav|noscript|object|ol|p|picture|pre|q|s|section|small|source|span|"
    "strike|strong|style|sub|sup|svg|table|tbody|td|tfoot|th|thead|time|title|tr|u|ul|video|wbr|script"
)
_BLOCK_NAMES = frozenset(
    re.findall(
        r"\S+",
        "article aside blockquote br div dl dd dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
        "main ol p pre section table tbody td th thead tr ul",
    )
)
# Embedded elements go with their content; comments whole; other tags alone. Adjacent ones
# and the whitespace around them form one run, replaced once.
_ELEMENT = (
    r"<(?P<el>script|style|iframe|noscript|object|embed|svg|video|audio)\b[^>]*>.*?</(?P=el)\s*>"
    r"|<!--.*?-->"
)
_TAG = rf"</?(?:{_TAG_NAMES})\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*/?>"
_MARKUP_RUN = re.compile(rf"\s*(?:(?:{_ELEMENT}|{_TAG})\s*)+", re.IGNORECASE | re.DOTALL)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z0-9]+)")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _markup_edits(text: str) -> tuple[list[_Edit], list[_Piece]]:
    if "<" not in text and "&" not in text:
        return [], []
    edits: list[_Edit] = []
    pieces: list[_Piece] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for m in _MARKUP_RUN.finditer(text):
        run = m.group()
        names = {n.lower() for n in _TAG_NAME.findall(run)}
        at_edge = m.start() == 0 or m.end() == len(text)
        at_edge = at_edge or text[m.start() - 1] == "\n" or text[m.end()] == "\n"
        if at_edge:
            replacement = ""  # the newline already there separates; the layout pass tidies up
        elif names & _BLOCK_NAMES or "\n" in run:
            replacement = "\n\n"
        elif run != run.strip():
            replacement = " "
        else:
            replacement = ""
        edits.append(_Edit(m.start(), m.end(), replacement))
        lead = len(run) - len(run.lstrip())
        trail = len(run) - len(run.rstrip())
        pieces.append(_Piece(m.start() + lead, m.end() - trail, "markup"))
        taken.append((m.start(), m.end()))
    for m in _ENTITY.finditer(text):
        decoded = html.unescape(m.group())
        if decoded != m.group() and free(m.start(), m.end()):
            edits.append(_Edit(m.start(), m.end(), decoded))
            pieces.append(_Piece(m.start(), m.end(), "entity"))
    edits.sort(key=lambda e: e.start)
    return edits, pieces


# --------------------------------------------------------------------------- pass 2: clutter


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _classify_line(view: str, rules: ClutterRules) -> tuple[str, int] | None:
    """(reason, lines it takes with it) of the first whole-line rule matching ``view``, or None."""
    for group in rules.groups:
        if group.kind == "inline" or len(view) > group.max_chars:
            continue
        if group.whole.fullmatch(view) if group.whole is not None else any(p.fullmatch(view) for p in group.patterns):
            return group.reason, group.max_items
    if _is_nav(view, rules):
        return rules.nav_reason, 0
    return None


_CAMEL = re.compile(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+|[A-ZÁÉÍÓÚÑ]+(?![a-záéíóúñü])|[a-záéíóúñü.]+")


def _is_nav(view: str, rules: ClutterRules) -> bool:
    """A menu line: only section names ("Menu Markets Travel", "MarketsBusinessWorld", "Justicia")."""
    if len(view) > rules.nav_max_chars or re.search(r"[.!?,;:]\s*$|\d", view):
        return False
    words = [w.lower().strip(".") for w in _CAMEL.findall(view)]
    words = [w for w in words if w and w not in ("and", "y", "&")]
    if not words:
        return False
    known = sum(1 for w in words if w in rules.nav_words)
    if len(words) >= 4:
        return known / len(words) >= rules.nav_min_share
    return known == len(words)


def _is_paragraph(view: str) -> bool:
    return len(view.split()) >= MIN_PARAGRAPH_WORDS and bool(_SENTENCE_END.search(view))


def _clutter_edits(text: str, rules: ClutterRules) -> tuple[list[_Edit], list[_Piece]]:
    lines = _line_spans(text)
    views = [text[s:e].strip() for s, e in lines]
    verdict: list[str | None] = [None] * len(lines)
    inline: list[list[tuple[int, int, str]]] = [[] for _ in lines]
    headers: list[tuple[int, int]] = []  # (line, how many lines under it it takes)
    for i, view in enumerate(views):
        if not view:
            continue
        found = _classify_line(view, rules)
        if found is None:
            inline[i] = _inline_matches(text, *lines[i], rules)
            # A line that is clutter once its inline clutter is out ("Reuters pic.twitter.com/…
            # — Name (@h) May 1, 2023") goes whole, as it would when cleaned a second time.
            cuts = [_with_space(text, s, e, *lines[i]) for s, e, _ in inline[i]]
            rest = _without(text, *lines[i], cuts).strip() if cuts else ""
            found = _classify_line(rest, rules) if rest else None
        if found:
            verdict[i] = found[0]
            if found[1]:
                headers.append((i, found[1]))

    # Where the article body starts: lists above it are page chrome whose next line may be
    # the real headline, so a header there takes nothing with it.
    body_start = next((i for i, v in enumerate(views) if verdict[i] is None and _is_paragraph(v)), len(lines))
    for h, takes in headers:
        if h <= body_start:
            continue
        for j in range(h + 1, min(len(lines), h + 1 + takes)):
            if not views[j] or len(views[j]) > MAX_LIST_ITEM_CHARS:
                break
            verdict[j] = verdict[j] or verdict[h]
    _mark_trailing_list(views, verdict, body_start)

    deletions: list[tuple[int, int]] = []
    pieces: list[_Piece] = []
    for i, (start, end) in enumerate(lines):
        reason = verdict[i]
        if reason is not None:
            pieces.extend(_line_pieces(text, start, end, inline[i], reason))
            deletions.append((start, min(end + 1, len(text))))  # the line and its newline
        else:
            for s, e, why in inline[i]:
                pieces.append(_Piece(s, e, why))
                deletions.append(_with_space(text, s, e, start, end))
    return _merge_deletions(deletions), pieces


def _without(text: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> str:
    """``text[start:end]`` with ``spans`` (sorted) cut out."""
    parts, pos = [], start
    for s, e in spans:
        parts.append(text[pos:s])
        pos = max(pos, e)
    parts.append(text[pos:end])
    return "".join(parts)


def _line_pieces(text: str, start: int, end: int, inline: Sequence[tuple[int, int, str]], reason: str) -> list[_Piece]:
    """The pieces of a removed line: its inline clutter with their reasons, the rest (trimmed) with ``reason``."""
    pieces = [_Piece(s, e, why) for s, e, why in inline]
    bounds = [start, *(p for s, e, _ in inline for p in (s, e)), end]
    for s, e in zip(bounds[::2], bounds[1::2], strict=True):
        chunk = text[s:e]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            pieces.append(_Piece(s + lead, s + lead + len(chunk.strip()), reason))
    return sorted(pieces, key=lambda p: p.start)


def _mark_trailing_list(views: list[str], verdict: list[str | None], body_start: int) -> None:
    """A bulleted or numbered list that ends the article is a list of other headlines."""
    items: list[int] = []
    i = len(views) - 1
    while i > body_start:
        if not views[i] or verdict[i] is not None:
            i -= 1
            continue
        if not _headline_item(views[i]):
            break
        items.append(i)
        i -= 1
    if len(items) < 2:
        return
    # A list introduced by a colon ("signs include:") belongs to the article.
    before = next((views[k] for k in range(i, -1, -1) if views[k] and verdict[k] is None), "")
    if before.endswith(":"):
        return
    for k in items:
        verdict[k] = "related_list"


def _headline_item(view: str) -> bool:
    """A bulleted line that reads like a headline: not too long, not a bare noun ("- 20 rifles")."""
    return bool(_BULLET.match(view)) and len(view) <= MAX_LIST_ITEM_CHARS and len(view.split()) >= 4


def _inline_matches(text: str, start: int, end: int, rules: ClutterRules) -> list[tuple[int, int, str]]:
    line = text[start:end]
    found: list[tuple[int, int, str]] = []
    for group in rules.groups:
        if group.kind != "inline":
            continue
        for pattern in group.patterns:
            for m in pattern.finditer(line):
                if m.end() > m.start():
                    found.append((start + m.start(), start + m.end(), group.reason))
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, str]] = []
    for item in found:  # overlapping matches: the first (and longest at a start) wins
        if kept and item[0] < kept[-1][1]:
            continue
        kept.append(item)
    return kept


def _with_space(text: str, s: int, e: int, line_start: int, line_end: int) -> tuple[int, int]:
    """Widen an inline deletion by the spaces before it, or after it at the start of a line."""
    ws = s
    while ws > line_start and text[ws - 1] in " \t":
        ws -= 1
    if ws > line_start:
        return ws, e
    we = e
    while we < line_end and text[we] in " \t":
        we += 1
    return s, we


# --------------------------------------------------------------------------- pass 3: layout

_LINE_BREAK_RUN = re.compile(r"[ \t\r\u00a0]*\n\s*")
# "in 2013.The indictment": pages that drop the space after a full stop glue two sentences
# together for a sentence splitter; a space is put back when a capitalized word follows a
# lowercase letter or digit and the stop.
_GLUED_SENTENCE = re.compile(r"(?<=[a-záéíóúñü0-9)\"”’][.!?])(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñü])")


def _layout_edits(text: str, rules: ClutterRules) -> list[_Edit]:
    if not text.strip():
        return [_Edit(0, len(text))] if text else []
    edits: list[_Edit] = []
    lead = len(text) - len(text.lstrip())
    if lead:
        edits.append(_Edit(0, lead))
    body_end = len(text.rstrip())
    # Where the line being built starts: a line joined to the one before it continues it, so the
    # next join is decided on the whole of it, as a second cleaning would see it.
    prev_start = lead
    for m in _LINE_BREAK_RUN.finditer(text, lead, body_end):
        if m.start() == lead or m.end() >= body_end:
            continue
        next_end = text.find("\n", m.end())
        prev_line = text[prev_start : m.start()]
        next_line = text[m.end() : next_end if next_end >= 0 else len(text)]
        run = m.group()
        if _should_join(prev_line, next_line, rules):
            edits.append(_Edit(m.start(), m.end(), " "))
            continue
        prev_start = m.end()
        want = "\n\n" if run.count("\n") >= 2 else "\n"
        if run != want:
            edits.append(_Edit(m.start(), m.end(), want))
    if body_end < len(text):
        edits.append(_Edit(body_end, len(text)))
    edits.extend(_Edit(m.start(), m.start(), " ") for m in _GLUED_SENTENCE.finditer(text, lead, body_end))
    edits.sort(key=lambda e: (e.start, e.end))
    return edits


def _should_join(prev_line: str, next_line: str, rules: ClutterRules) -> bool:
    """A paragraph broken mid-sentence: no terminal punctuation, and the next part continues it."""
    prev = prev_line.strip()
    nxt = next_line.strip()
    if not prev or not nxt or prev[-1] in rules.terminal:
        return False
    words = prev.split()
    if len(words) < MIN_JOIN_WORDS or _BULLET.match(prev) or _BULLET.match(nxt):
        return False
    if nxt[0].islower():
        return True
    return words[-1].lower() in rules.connectors and (nxt[0].isalnum() or nxt[0] in "\"“'‘«(")


# --------------------------------------------------------------------------- public


def clean_article(article: Article, rules: ClutterRules | None = None) -> CleanArticle:
    """Remove clutter from ``article.text``; keep an offset map and every removed piece.

    ``rules`` defaults to the bundled ``data/clutter.toml`` (loaded once per process).
    Pure: the same article always gives the same result.
    """
    rules = rules or load_clutter_rules()
    original = article.text

    markup, markup_pieces = _markup_edits(original)
    text_a, seg_a = _apply(original, markup)
    clutter, clutter_pieces = _clutter_edits(text_a, rules)
    text_b, seg_b = _apply(text_a, clutter)
    text_c, seg_c = _apply(text_b, _layout_edits(text_b, rules))

    segments = compose_segments(seg_c, compose_segments(seg_b, seg_a))
    map_a = OffsetMap(tuple(seg_a))
    removed = [RemovedText(p.start, p.end, original[p.start : p.end], p.reason) for p in markup_pieces]
    for p in clutter_pieces:
        start, end = map_a.span_to_original(p.start, p.end)
        removed.append(RemovedText(start, end, original[start:end], p.reason))
    removed.sort(key=lambda r: (r.start, r.end))
    return CleanArticle(
        article=article,
        text=text_c,
        offsets=OffsetMap(tuple(segments)),
        removed=tuple(removed),
        lang=article.lang,
    )

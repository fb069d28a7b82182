"""Property tests for the cleaner: whatever the text, offsets map back exactly and nothing is lost silently.

Inputs mix arbitrary text with the fragments the cleaner exists for (teasers, embed footers,
wire credits, markup, entities) and with what breaks naive code (\\r\\n, tabs, zero-width and
combining characters, emoji, very long lines, paragraphs broken mid-sentence).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crimewire.clean import clean_article
from crimewire.records import Article, CleanArticle

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VOCABULARY = (
    "police arrested the suspects in Lima on Tuesday after a raid against the Tren de Aragua gang",
    "la policía detuvo a los sospechosos en un operativo contra el cártel de Sinaloa según fiscalía",
    "and of de del y que 14 veinte 2023 Reuters AFP EFE",
)
WORDS = [w for line in VOCABULARY for w in line.split()]
ODD = ["\u200b", "\u200d", "\ufeff", "\u0301", "\u0303", "\u00a0", "😀", "🇲🇽", "\u2028", "\x0b", "\x0c", "\x85", "\r"]
SEPARATORS = [" ", "  ", "\n", "\n\n", "\n\n\n", "\r\n", "\r\n\r\n", "\t", " \n ", "\n \n", *ODD]

word = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS).map(str.capitalize), st.sampled_from(ODD))
phrase = st.lists(word, min_size=1, max_size=12).map(" ".join)
sentence = st.builds(lambda p, end: p[:1].upper() + p[1:] + end, phrase, st.sampled_from(["", ".", "?", ":", ","]))
handle = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)


def _footer(link: str, name: str, h: str, day: int, month: str, year: int) -> str:
    return f"pic.twitter.com/{link} — {name} (@{h}) {month} {day}, {year}"


CLUTTER = st.one_of(
    st.builds(lambda p: f"(Also read: {p})", phrase),
    st.builds(lambda p: f"(Lea también: {p})", phrase),
    st.builds(lambda p: f"Lea también: {p}", phrase),
    st.builds(lambda p: f"Read more: {p}", phrase),
    st.just("Lea también"),
    st.just("Related news"),
    st.builds(lambda p: f"- {p}", phrase),
    st.builds(lambda p: f"1. {p}", phrase),
    st.builds(
        _footer,
        handle,
        phrase,
        handle,
        st.integers(1, 31),
        st.sampled_from(["December", "May", "enero"]),
        st.integers(1990, 2030),
    ),
    st.builds(lambda d: f"— Policía Nacional (@PoliciaPeru) {d} de diciembre de 2023", st.integers(1, 31)),
    st.sampled_from(["AFP", "EFE", "(EFE)", "Reuters", "EFE/AFP", "jm/rd", "Agencias"]),
    st.sampled_from(["By Jane Doe", "Por Juan Pérez | EFE", "Photo: Reuters", "FILE - ", "Advertisement"]),
    st.sampled_from(["Published December 28, 2023", "Actualizado: 28 de diciembre de 2023 10:01", "Menu News World"]),
    st.sampled_from(["<p>", "</p>", "<br/>", "<div class='x'>", "<!-- c -->", "<script>var a = 1;</script>"]),
    st.sampled_from(["&amp;", "&#8217;", "&nbsp;", "&#x1F600;", "&lt;b&gt;", "&bogus;", "&#0;", "&#99999999;"]),
    st.sampled_from(["https://example.org/a", "img_4471.jpg", "Tags: crime, Peru", "Copyright 2023 AP"]),
)
PIECE = st.one_of(sentence, CLUTTER, st.text(max_size=30), st.builds(lambda s: s * 40, sentence))


@st.composite
def articles(draw: st.DrawFn) -> str:
    """An article body: pieces joined by random separators."""
    pieces = draw(st.lists(PIECE, max_size=14))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(pieces), max_size=len(pieces)))
    return "".join(p + s for p, s in zip(pieces, seps, strict=True))


ANY_TEXT = st.one_of(articles(), st.text(max_size=400))


def clean(text: str) -> CleanArticle:
    return clean_article(Article(id="fuzz", text=text))


@FUZZ
@given(ANY_TEXT)
def test_offsets_map_back_exactly(text: str) -> None:
    """The offset map is exact, whatever the text.

    Every segment copies an equal run of the original, in order, inside both texts;
    ``to_original`` and ``span_to_original`` land inside the original for every cleaned offset;
    a copied character maps to an equal character, a synthesized one to the end of the run
    copied before it (``OffsetMap``'s promise); a synthesized character is a space or line
    break the layout put in, or the decoding of an entity.
    """
    result = clean(text)
    segments = result.offsets.segments
    last_clean = last_orig = 0
    for clean_start, orig_start, length in segments:
        assert length > 0
        assert clean_start >= last_clean and orig_start >= last_orig
        assert clean_start + length <= len(result.text) and orig_start + length <= len(text)
        assert result.text[clean_start : clean_start + length] == text[orig_start : orig_start + length]
        last_clean, last_orig = clean_start + length, orig_start + length

    copied = {c + i for c, _, n in segments for i in range(n)}
    entities = any(r.reason == "entity" for r in result.removed)
    for pos in range(len(result.text) + 1):
        orig = result.offsets.to_original(pos)
        assert 0 <= orig <= len(text)
        start, end = result.offsets.span_to_original(pos, min(pos + 7, len(result.text)))
        assert 0 <= start <= end <= len(text)
        if pos in copied:
            assert text[orig] == result.text[pos]
            continue
        if pos < len(result.text):
            assert result.text[pos] in " \n" or entities, (pos, result.text[pos])
        if segments and pos >= segments[0][0]:
            before = max(s for s in segments if s[0] <= pos)
            assert orig == before[1] + before[2]


@FUZZ
@given(ANY_TEXT)
def test_removed_pieces_account_for_everything_taken_out(text: str) -> None:
    """What was removed is recorded, exactly, and nothing else is lost.

    Each removed piece has a reason and is the original's text at its offsets (trimmed, except
    markup runs); no kept character lies inside a removed piece; every non-whitespace character
    of the original is either kept or inside a removed piece.
    """
    result = clean(text)
    kept = {o + i for _, o, n in result.offsets.segments for i in range(n)}
    accounted = set(kept)
    for piece in result.removed:
        assert piece.reason
        assert 0 <= piece.start < piece.end <= len(text)
        assert text[piece.start : piece.end] == piece.text
        assert piece.text == piece.text.strip() or piece.reason in ("markup", "entity")
        assert not kept.intersection(range(piece.start, piece.end)), piece
        accounted.update(range(piece.start, piece.end))
    lost = [(i, c) for i, c in enumerate(text) if not c.isspace() and i not in accounted]
    assert not lost


@FUZZ
@given(articles().filter(lambda t: "&" not in t))
def test_cleaning_is_idempotent(text: str) -> None:
    """Cleaning a cleaned text changes nothing more, and removes nothing more.

    Entities are left out: "&amp;lt;" decodes one level per pass, by design.
    """
    first = clean(text)
    second = clean(first.text)
    assert second.text == first.text
    assert second.removed == ()

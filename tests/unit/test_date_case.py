"""The date finder's fast path (case-sensitive patterns over the lowercased text, each match
then read from the original) finds exactly what the plain IGNORECASE patterns find.

The reference is the same finder with the fast patterns switched off; the texts are our own
sentences and the team-written test articles, as written, in capitals and in title case.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from crimewire.dates import finding
from crimewire.dates.finding import find_date_expressions

DATA = Path(__file__).resolve().parents[1] / "data"

SENTENCES = {
    "en": ["Police arrested 12 people LAST THURSDAY in Lima, and another on December 28, 2023.",
           "Yesterday, three days after the raid, officers returned on Monday (Dec. 4).",
           "The May 5 raid came two weeks ago; in May 2024 the gang may have moved."],
    "es": ["La Policía capturó EL PASADO JUEVES a 12 personas y el 28 de Diciembre a otra.",
           "Ayer, hace tres días, los agentes volvieron el lunes 4 de diciembre de 2023.",
           "En la Avenida 5 de Mayo, el pasado 5 de mayo, durante la madrugada del sábado.",
           "İSTANBUL. La Policía capturó este martes a dos hombres."],  # "İ" lowers to two characters
}


def _texts(lang: str) -> list[str]:
    texts = list(SENTENCES[lang])
    for folder in ("corpus", "corpus2"):
        texts += [p.read_text(encoding="utf-8") for p in sorted((DATA / folder / "articles").glob(f"*{lang}*.txt"))]
    return [variant for t in texts for variant in (t, t.upper(), t.title())]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_fast_path_finds_what_ignorecase_finds(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts(lang)
    fast = [find_date_expressions(t, lang) for t in texts]
    assert sum(len(f) for f in fast) > 100  # the texts hold dates
    assert any(r.fast is not None for r in finding._rules(lang))
    plain_rules = tuple(replace(r, fast=None) for r in finding._rules(lang))
    monkeypatch.setattr(finding, "_rules", lambda _lang: plain_rules)
    assert [find_date_expressions(t, lang) for t in texts] == fast


@pytest.mark.parametrize("lang", ["en", "es"])
def test_found_words_are_as_written(lang: str) -> None:
    for text in SENTENCES[lang]:
        for m in find_date_expressions(text, lang):
            assert text[m.start : m.end] == m.text

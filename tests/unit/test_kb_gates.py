"""Cue gates: each gate is a lower-case part of its cue that every match of the cue contains.

A gate lets the group finder skip an article without scanning it with the whole cue, so a gate
that some match lacks would silently lose groups. These tests run every gated cue over our own
sentences (one or more per cue, in mixed case) and over the team-written test corpora, and check
each match against its gate.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crimewire.entities import find_organizations
from crimewire.kb import KnowledgeBase

DATA = Path(__file__).resolve().parents[1] / "data"

# One sentence (at least) per gated cue, written for this test.
SENTENCES = {
    "en.called": ["Police said a gang called Los Pepes ran the route.",
                  "A CRIMINAL GROUP KNOWN AS THE NIGHT WOLVES CLAIMED IT."],
    "en.group_apposition": ["Officers dismantled the criminal gang 'La Nueva Ola' on Monday."],
    "en.faction_of_known_as": ["He led a faction of the Sinaloa Cartel known as Los Menores."],
    "en.members_of": ["Five members of Los Zetas were detained."],
    "en.named_gang": ["Two leaders of the Bloods gang were charged."],
    "cartel_name": ["Agentes del Cártel del Noreste fueron vistos.", "the Cartel de los Soles network"],
    "es.banda_criminal": ["La Policía desarticuló la banda criminal Los Pulpos en Trujillo."],
    "es.grupo_criminal": ["Según la Policía, el grupo criminal Los Choneros controla la zona."],
    "es.pandilla": ["Cayó un cabecilla de la pandilla denominada Los Malvados."],
    "es.subestructura": ["La subestructura 'Los Mesa' opera en el valle."],
    "es.faccion_conocida_como": ["Es una facción del Tren de Aragua conocida como Los Gallegos."],
    "es.miembros_de": ["Detuvieron a integrantes de la banda criminal Los Injertos."],
    "parent:en": ["Los Gallegos, a faction of Tren de Aragua, were blamed.",
                  "LOS GALLEGOS, A FACTION OF TREN DE ARAGUA, WERE BLAMED."],
    "parent:es": ["Los Gallegos, una facción del Tren de Aragua, fueron señalados."],
}


def _corpus_texts() -> list[str]:
    texts = []
    for folder in ("corpus", "corpus2"):
        texts += [p.read_text(encoding="utf-8") for p in sorted((DATA / folder / "articles").glob("*.txt"))]
    return texts


def _gated(kb: KnowledgeBase) -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    pat = kb.patterns
    cues = [(r.rule, r.regex, r.gate) for r in pat.discovery if r.gate is not None]
    cues += [(f"parent:{lang}", pat.parent_cues[lang], pat.parent_gates[lang]) for lang in pat.parent_gates]
    return cues


def test_gates_are_written_in_lower_case(kb: KnowledgeBase) -> None:
    # they are searched in the lowercased article: an upper-case letter could never match
    # (and "\S", "\W" would change meaning when lowered)
    gated = _gated(kb)
    assert len(gated) >= 10
    for name, _cue, gate in gated:
        assert not any(c.isupper() for c in gate.pattern), name


def test_every_gated_cue_has_a_sentence_here(kb: KnowledgeBase) -> None:
    assert {name for name, _c, _g in _gated(kb)} <= set(SENTENCES)


@pytest.mark.parametrize("name", sorted(SENTENCES))
def test_every_match_of_a_cue_contains_its_gate(kb: KnowledgeBase, name: str) -> None:
    cues = {n: (cue, gate) for n, cue, gate in _gated(kb)}
    if name not in cues:
        pytest.skip(f"{name} has no gate")
    cue, gate = cues[name]
    own = 0
    for text in SENTENCES[name]:
        for m in cue.finditer(text):
            own += 1
            # a few characters past the match: some cues end on a lookahead ("subestructura 'X'")
            assert gate.search(text[m.start() : m.end() + 2].lower()), (name, m.group())
    assert own, f"the sentences for {name} do not exercise it"
    for text in _corpus_texts():
        for m in cue.finditer(text):
            assert gate.search(text[m.start() : m.end() + 2].lower()), (name, m.group())


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Police blamed Los Rudos, a faction of Tren de Aragua, for the attack.", "en",
         ("Los Rudos", "Tren de Aragua", "en.faction_of")),
        ("La Policía culpó a Los Rudos, una facción del Tren de Aragua, del ataque.", "es",
         ("Los Rudos", "Tren de Aragua", "es.faction_of")),
        ("Police said a criminal group known as the Night Wolves claimed it.", "en",
         ("Night Wolves", None, "en.called")),
    ],
)
def test_gated_cues_still_discover_groups(kb: KnowledgeBase, text: str, lang: str, expected: tuple) -> None:
    found = [(o.name, o.parent, o.rule) for o in find_organizations(text, lang, kb)]
    assert expected in found

"""Knowledge base: bundled data loads and answers lookups; broken data fails with a clear DataError."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crimewire.errors import DataError
from crimewire.kb import (
    AGENCY_FILE,
    DATA_DIR,
    DEMONYM_FILE,
    ORG_FILE,
    PATTERN_FILE,
    KnowledgeBase,
    alias_mode,
    load_knowledge_base,
    tokenize,
)


def test_bundled_data_is_large_enough(kb: KnowledgeBase) -> None:
    assert len(kb.organizations) >= 150
    assert len(kb.agencies) >= 100
    assert {"VE", "CO", "PE", "MX", "US", "HT", "TT", "ES"} <= set(kb.country_by_code)
    assert kb.blocklist and all(b.reason for b in kb.blocklist)


def test_loader_is_cached_per_path(kb: KnowledgeBase) -> None:
    assert load_knowledge_base() is kb
    assert load_knowledge_base(DATA_DIR) is kb


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Aragua Train", "Tren de Aragua"),
        ("TdA", "Tren de Aragua"),
        ("Gulf Clan", "Clan del Golfo"),
        ("Autodefensas Gaitanistas de Colombia", "Clan del Golfo"),
        ("Ejército Gaitanista de Colombia", "Clan del Golfo"),
        ("Cártel del Golfo", "Gulf Cartel"),
        ("Cartel del Golfo", "Gulf Cartel"),
        ("Jalisco New Generation Cartel", "CJNG"),
        ("First Command of the Capital", "PCC"),
        ("Red Command", "Comando Vermelho"),
        ("Mara Salvatrucha 13", "MS-13"),
        ("MS13", "MS-13"),
        ("Pandilla 18", "Barrio 18"),
        ("Calle 18", "Barrio 18"),
        ("Cártel del Noreste", "Cartel del Noreste"),
        ("Mexican sinaloa cartel", "Sinaloa Cartel"),
        ("the Sinaloa drug cartel", "Sinaloa Cartel"),
        ("400 Mawozos", "400 Mawozo"),
    ],
)
def test_organization_lookup_by_alias(kb: KnowledgeBase, alias: str, canonical: str) -> None:
    info = kb.organization(alias)
    assert info is not None and info.name == canonical


def test_gulf_cartel_and_gulf_clan_are_distinct(kb: KnowledgeBase) -> None:
    cartel, clan = kb.organization("Gulf Cartel"), kb.organization("Clan del Golfo")
    assert cartel is not None and clan is not None
    assert cartel.name != clan.name
    assert cartel.origin == "MX" and clan.origin == "CO"


def test_parents_and_factions(kb: KnowledgeBase) -> None:
    assert kb.parent_of("Hijos de Dios") == "Tren de Aragua"
    assert kb.parent_of("Los Chapitos") == "Sinaloa Cartel"
    assert kb.parent_of("Tren de Aragua") is None
    assert {"Los Hijos de Dios", "Los Gallegos"} <= set(kb.factions_of("Aragua Train"))
    assert kb.factions_of("no such group") == ()


def test_agency_and_demonym_lookups(kb: KnowledgeBase) -> None:
    pnp = kb.agency("PNP")
    assert pnp is not None and pnp.country == "PE" and pnp.kind == "police"
    assert kb.agency("Homeland Security Investigations") is kb.agency("HSI")
    assert kb.demonym("venezolanas", "es") == "VE"
    assert kb.demonym("Peruvian", "en") == "PE"
    assert kb.demonym("U.S.", "en") == "US"
    assert kb.demonym("us", "en") is None  # the pronoun
    assert kb.demonym("peruvian", "es") is None
    assert kb.country_of_name("Perú") == "PE"


def test_blocklist(kb: KnowledgeBase) -> None:
    assert kb.is_blocked("Tren Maya")
    assert kb.is_blocked("cartel de santa")
    assert not kb.is_blocked("Tren de Aragua")


def test_alias_modes() -> None:
    assert alias_mode("PCC") == "exact"
    assert alias_mode("TdA") == "exact"
    assert alias_mode("MS-13") == "exact"
    assert alias_mode("G9") == "exact"
    assert alias_mode("Tren de Aragua") == "free"
    assert alias_mode("Los Lobos", ["Los Lobos"]) == "strict"


def test_index_matches_longest_and_respects_case(kb: KnowledgeBase) -> None:
    text = "Members of Los Hijos de Dios and the pcc and the PCC."
    hits = kb.org_index.find(text, tokenize(text))
    assert [(h.alias.target, text[h.start : h.end]) for h in hits] == [
        ("Los Hijos de Dios", "Los Hijos de Dios"),
        ("PCC", "PCC"),
    ]


# --------------------------------------------------------------------------- broken data


def _copy_data(tmp_path: Path) -> Path:
    for name in (ORG_FILE, AGENCY_FILE, DEMONYM_FILE, PATTERN_FILE):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def _edit_orgs(path: Path, edit: object) -> None:
    data = json.loads((path / ORG_FILE).read_text(encoding="utf-8"))
    assert callable(edit)
    edit(data)
    (path / ORG_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_unknown_parent_is_a_data_error(tmp_path: Path) -> None:
    path = _copy_data(tmp_path)
    _edit_orgs(path, lambda d: d["organizations"][0].update(parent="Nonexistent Group"))
    with pytest.raises(DataError, match=r"organizations\.json.*unknown parent 'Nonexistent Group'"):
        load_knowledge_base(path)


def test_duplicate_alias_across_groups_is_a_data_error(tmp_path: Path) -> None:
    path = _copy_data(tmp_path)

    def dup(d: dict) -> None:
        d["organizations"].append(
            {
                "name": "Fake Group",
                "aliases": ["Aragua Train"],
                "parent": None,
                "kind": "gang",
                "countries": ["VE"],
                "origin": "VE",
            }
        )

    _edit_orgs(path, dup)
    with pytest.raises(DataError, match=r"'Fake Group'.*'Aragua Train'.*'Tren de Aragua'"):
        load_knowledge_base(path)


def test_bad_iso_code_is_a_data_error(tmp_path: Path) -> None:
    path = _copy_data(tmp_path)
    _edit_orgs(path, lambda d: d["organizations"][0].update(countries=["MX", "XX"]))
    with pytest.raises(DataError, match=r"'XX' is not an ISO 3166-1 alpha-2 code"):
        load_knowledge_base(path)


def test_blocked_name_that_is_an_alias_is_a_data_error(tmp_path: Path) -> None:
    path = _copy_data(tmp_path)
    _edit_orgs(path, lambda d: d["blocklist"].append({"name": "Gulf Clan", "reason": "test"}))
    with pytest.raises(DataError, match=r"blocklist entry 'Gulf Clan'"):
        load_knowledge_base(path)


def test_bad_agency_country_is_a_data_error(tmp_path: Path) -> None:
    path = _copy_data(tmp_path)
    data = json.loads((path / AGENCY_FILE).read_text(encoding="utf-8"))
    data["agencies"][0]["country"] = "Peru"
    (path / AGENCY_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataError, match=r"agencies\.json.*'Peru' is not an ISO"):
        load_knowledge_base(path)


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    path = _copy_data(tmp_path)
    (path / DEMONYM_FILE).unlink()
    with pytest.raises(DataError, match=r"demonyms\.json"):
        load_knowledge_base(path)


def test_bad_pattern_is_a_data_error(tmp_path: Path) -> None:
    path = _copy_data(tmp_path)
    with (path / PATTERN_FILE).open("a", encoding="utf-8") as f:
        f.write('\n[[org.discovery]]\nrule = "broken"\nlang = "en"\nkind = "after"\npattern = "(unclosed"\n')
    with pytest.raises(
        DataError, match=r"entity_patterns\.toml: discovery rule 'broken': bad regular expression"
    ):
        load_knowledge_base(path)

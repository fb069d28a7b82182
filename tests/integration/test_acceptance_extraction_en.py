"""Acceptance audit of issue #3 (English extraction) at event level, real spaCy models.

Each case is a sentence written for this audit for one bullet of the issue: attribution forms,
facts-only traps, counts (words, qualifiers, totals), dates with their precision, seized items,
two happenings in one sentence. Cases marked ``xfail(strict=True)`` are gaps found by the audit
that need a change under ``src/``; they fail loudly (XPASS) once fixed, so the mark can go.
"""

from __future__ import annotations

from datetime import date

import pytest

import crimewire
from crimewire.records import ArticleResult, Event

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

PUBLISHED = "2024-06-14"  # a Friday


def gap(reason: str) -> pytest.MarkDecorator:
    """A gap found by the audit: the assertion fails today (and only the assertion)."""
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


def run(text: str) -> ArticleResult:
    return crimewire.extract(text, published=PUBLISHED)


def one(text: str, type_: str) -> Event:
    events = run(text).events
    found = [e for e in events if e.type == type_ and not e.background]
    assert len(found) == 1, [(e.type, e.evidence.sentence) for e in events]
    return found[0]


# --------------------------------------------------------------------------- attribution


@pytest.mark.parametrize(
    ("text", "type_", "source"),
    [
        ("Police arrested nine members of Los Pulpos in Trujillo on Tuesday, the Interior Ministry said "
         "in a statement.", "arrest", "the Interior Ministry"),
        ("According to authorities, soldiers freed five hostages held by the gang in Tumbes on Monday.",
         "rescue", "authorities"),
        ("The prosecutor's office reported on Wednesday that agents seized 48 firearms in Callao on Monday.",
         "seizure", "The prosecutor's office"),
        ('"We captured the leader of the gang in Piura this morning," the police chief wrote on X.',
         "arrest", "the police chief"),
    ],
)
def test_attribution_says_who_states_it(text: str, type_: str, source: str) -> None:
    event = one(text, type_)
    assert event.attribution is not None and event.attribution.source == source


def test_report_day_is_not_the_day_of_the_seizure() -> None:
    event = one("The prosecutor's office reported on Wednesday that agents seized 48 firearms in Callao on Monday.",
                "seizure")
    assert event.date is not None and event.date.value == date(2024, 6, 10)


def test_outlet_quoting_sources_is_the_attribution() -> None:
    event = one("Police freed 30 women held by a gang in Cusco on Monday, radio station Exitosa said, "
                "quoting law enforcement sources.", "rescue")
    assert event.attribution is not None and "Exitosa" in event.attribution.source


# --------------------------------------------------------------------------- facts only


@pytest.mark.parametrize(
    "text",
    [
        "No one was arrested after the shooting in Chiclayo on Monday.",
        "The organization was formed in 2014 in a prison in Aragua.",
        "Some 2,000 graves have been found in the country since 2006.",
        "Officials said the two brothers could be extradited to Colombia.",
    ],
)
def test_not_events(text: str) -> None:
    assert [e.type for e in run(text).events if not e.background] == []


def test_one_sentence_two_happenings_two_events() -> None:
    result = run("Police arrested four members of the Tren de Aragua in Santiago on Monday and rescued "
                 "seven Venezuelan women.")
    by_type = {e.type: e for e in result.events}
    assert sorted(by_type) == ["arrest", "rescue"]
    assert by_type["arrest"].count.value == 4  # type: ignore[union-attr]
    assert by_type["rescue"].count.value == 7 and by_type["rescue"].nationalities == ("VE",)  # type: ignore[union-attr]


# --------------------------------------------------------------------------- counts


def test_more_than_keeps_its_qualifier() -> None:
    count = one("Police freed more than 100 migrants in Chihuahua on Saturday.", "rescue").count
    assert count is not None and (count.value, count.qualifier) == (100, "more_than")


def test_a_dozen_is_twelve_and_dozens_is_null_with_a_note() -> None:
    assert one("Police detained a dozen suspects in Quito on Friday.", "arrest").count.value == 12  # type: ignore[union-attr]
    vague = one("Police detained dozens of suspects in Quito on Friday.", "arrest").count
    assert vague is not None and vague.value is None and vague.note and "dozens" in vague.note


def test_total_wins_over_its_subset() -> None:
    event = one("Police arrested 22 people, including several Venezuelans, in Lima on Thursday.", "arrest")
    assert event.count.value == 22 and event.nationalities == ("VE",)  # type: ignore[union-attr]


def test_number_words_inside_the_sentence() -> None:
    assert one("Police detained twenty-two suspects in Cali on Friday.", "arrest").count.value == 22  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "type_", "count"), [
    ("Twenty-two suspects were detained in Cali on Friday.", "arrest", 22),
    ("Thirty-five migrants were rescued from a truck in Veracruz on Friday.", "rescue", 35),
])
def test_number_word_opening_the_sentence(text: str, type_: str, count: int) -> None:
    event = one(text, type_)
    assert event.count is not None and event.count.value == count


def test_coordinated_nationalities_are_all_kept() -> None:
    event = one("Officers rescued 15 Venezuelan and five Colombian women in Cusco on Monday.", "rescue")
    assert set(event.nationalities) == {"VE", "CO"}


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("when", "expected", "precision"),
    [
        ("yesterday", date(2024, 6, 13), "day"),
        ("last week", date(2024, 6, 3), "week"),
        ("on Dec. 28", date(2023, 12, 28), "day"),
        ("overnight", date(2024, 6, 13), "day"),
        ("on Saturday", date(2024, 6, 8), "day"),
        ("this Thursday", date(2024, 6, 13), "day"),
    ],
)
def test_dates_resolve_against_publication(when: str, expected: date, precision: str) -> None:
    event = one(f"Police arrested six gang members in Guayaquil {when}.", "arrest")
    assert event.date is not None and (event.date.value, event.date.precision) == (expected, precision)


def test_no_date_stated_is_null_not_the_publication_date() -> None:
    assert one("Police arrested six gang members in Guayaquil.", "arrest").date is None


# --------------------------------------------------------------------------- seizures and places


def test_seized_items_with_quantity_and_unit() -> None:
    cocaine = one("Police seized 5.4 tonnes of cocaine in the port of Guayaquil on Monday.", "seizure")
    assert [(q.item, q.amount, q.unit) for q in cocaine.items] == [("cocaine", 5.4, "t")]
    guns = one("Soldiers seized 48 firearms at a ranch in Sinaloa on Monday.", "seizure")
    assert [(q.item, q.amount) for q in guns.items] == [("firearms", 48.0)] and guns.country == "MX"


def test_extradition_destination_is_not_its_country() -> None:
    event = one("A senior Clan del Golfo commander was extradited to the United States on Monday.", "extradition")
    assert event.country != "US"

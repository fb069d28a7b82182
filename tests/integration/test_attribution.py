"""Who states an event, on sentences written for these tests, with the real models: the forms
"X said, citing / quoting Y", "according to X", "según X", "según informó X <time>",
"X informó que", "dijo X", a determiner with a common noun as the source, a statement and its
issuer, and sentences where nobody is named.
"""

from __future__ import annotations

import pytest

import crimewire
from crimewire.records import Event

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

PUBLISHED = "2024-06-14"  # a Friday


def one(text: str, type_: str) -> Event:
    events = [e for e in crimewire.extract(text, published=PUBLISHED).events if e.type == type_]
    assert len(events) == 1, [(e.type, e.evidence.sentence) for e in events]
    return events[0]


@pytest.mark.parametrize(
    ("text", "type_", "source", "kind"),
    [
        # the one who says it, not the party it relies on
        ("Gunmen killed four police officers in Zacatecas on Sunday, the newspaper El Sol reported, "
         "citing state officials.", "killing", "the newspaper El Sol", "said"),
        ("Marines rescued 14 migrants from a warehouse in Reynosa on Thursday, a local broadcaster said, "
         "quoting navy sources.", "rescue", "a local broadcaster", "said"),
        # "released" is a reporting verb too ("released a statement"): the verb that governs the clause says it
        ("Police released 40 women held by traffickers in Iquitos on Wednesday, the Interior Ministry said.",
         "rescue", "the Interior Ministry", "said"),
        ("Troops arrested six suspected gang members in Tegucigalpa on Friday, according to the ministry.",
         "arrest", "the ministry", "according_to"),
        ("Soldiers seized 300 kilos of cocaine in Manta on Monday, according to a statement from the Ecuadorian "
         "navy.", "seizure", "the Ecuadorian navy", "statement"),
        ("The inspector who led the raid told reporters that agents arrested 12 suspects in Quito on Monday.",
         "arrest", "The inspector", "said"),
        # Spanish
        ("Según la institución, agentes capturaron a siete extorsionadores en Chimbote el martes.",
         "arrest", "la institución", "according_to"),
        ("Tres mineros fueron secuestrados en Pataz el lunes, según confirmó la Fiscalía este miércoles.",
         "kidnapping", "la Fiscalía", "according_to"),
        ("De acuerdo con la Fiscalía, la banda secuestró a un empresario en Guayaquil el sábado.",
         "kidnapping", "la Fiscalía", "according_to"),
        ("La Policía Nacional informó que ocho extorsionadores fueron capturados en Piura el lunes.",
         "arrest", "La Policía Nacional", "said"),
        ("Los sicarios asesinaron a dos comerciantes en Trujillo el domingo, dijo el jefe policial.",
         "killing", "el jefe policial", "said"),
        ("Cinco policías fueron asesinados en Michoacán el domingo, informó el diario Reforma citando fuentes "
         "oficiales.", "killing", "el diario Reforma", "said"),
        # a relative clause after the source is not part of it (Spanish labels it a clause modifier)
        ("Un comerciante fue asesinado en Trujillo el domingo, según la Policía, que investiga a una banda de "
         "extorsionadores.", "killing", "la Policía", "according_to"),
        ("Agentes detuvieron a nueve extorsionadores en Tapachula el martes, según un comunicado emitido por la "
         "Guardia Nacional.", "arrest", "la Guardia Nacional", "statement"),
    ],
)
def test_the_source_is_who_states_it(text: str, type_: str, source: str, kind: str) -> None:
    attribution = one(text, type_).attribution
    assert attribution is not None
    assert (attribution.source, attribution.kind) == (source, kind)


def test_the_attribution_text_keeps_the_words_that_attribute() -> None:
    attribution = one("Marines rescued 14 migrants from a warehouse in Reynosa on Thursday, a local broadcaster said, "
                      "quoting navy sources.", "rescue").attribution
    assert attribution is not None and attribution.text == "a local broadcaster said, quoting navy sources"
    attribution = one("Según la institución, agentes capturaron a siete extorsionadores en Chimbote el martes.",
                      "arrest").attribution
    assert attribution is not None and attribution.text == "Según la institución"
    # what the source's relative clause reports is not the attribution's wording
    attribution = one("Un comerciante fue asesinado en Trujillo el domingo, según el fiscal, quien dijo que la banda "
                      "cobraba cupos.", "killing").attribution
    assert attribution is not None and attribution.text == "según el fiscal"


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        # what a passive "se" reports was done, nobody says it
        ("En el operativo se aseguraron 30 armas de fuego en Culiacán el martes.", "seizure"),
        # "según se informó": no one named
        ("Según se informó, agentes detuvieron a cuatro extorsionadores en Lima el lunes.", "arrest"),
        # "citing" without a reporting verb gives a reason, not a source
        ("Troops detained five men in Guayaquil on Monday, citing intelligence reports.", "arrest"),
    ],
)
def test_no_one_named_no_attribution(text: str, type_: str) -> None:
    assert one(text, type_).attribution is None

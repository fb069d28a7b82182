"""Cleaner: each clutter family removed (English and Spanish), content kept, offsets exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crimewire.clean import clean_article, compose_segments, load_clutter_rules
from crimewire.records import Article, CleanArticle

PARA_EN = (
    "Federal agents arrested 14 people on Tuesday in a series of raids against a smuggling ring "
    "that moved migrants across the border in sealed trucks, prosecutors said."
)
PARA_EN2 = "The suspects face charges of human smuggling and money laundering, according to the indictment."
PARA_ES = (
    "La fiscalía informó este martes que agentes de la policía detuvieron a 14 personas en una serie de "
    "allanamientos contra una red que trasladaba migrantes en camiones sellados."
)
PARA_ES2 = "Los sospechosos enfrentan cargos por tráfico de personas y lavado de dinero, según la acusación."


def clean(text: str) -> CleanArticle:
    result = clean_article(Article(id="t", text=text))
    assert_offsets(result)
    return result


def assert_offsets(result: CleanArticle) -> None:
    """Every copied character maps back to itself; every removed piece is where it says."""
    original = result.article.text
    copied = 0
    for clean_start, orig_start, length in result.offsets.segments:
        assert result.text[clean_start : clean_start + length] == original[orig_start : orig_start + length]
        for i in range(clean_start, clean_start + length):
            assert original[result.offsets.to_original(i)] == result.text[i]
        copied += length
    assert copied <= len(result.text)
    for piece in result.removed:
        assert original[piece.start : piece.end] == piece.text
        assert piece.reason


def reasons(result: CleanArticle) -> dict[str, str]:
    return {r.text: r.reason for r in result.removed}


def paragraphs(*parts: str) -> str:
    return "\n\n".join(parts)


def assert_removed(before: str, line: str, after: str, reason: str) -> None:
    """``line`` between two paragraphs is removed for ``reason`` and nothing else is."""
    result = clean(paragraphs(before, line, after))
    assert result.text == paragraphs(before, after)
    assert reasons(result) == {line: reason}


# --------------------------------------------------------------------------- content kept


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            paragraphs(
                PARA_EN, "Also arrested was the driver of the second truck.", "More than 40 people were questioned."
            ),
            id="sentence-starting-with-a-teaser-label-word",
        ),
        pytest.param(
            PARA_EN + "\nThe police seized\n- 20 rifles\n- 3 grenades\n- cash", id="trailing-list-of-short-items"
        ),
        pytest.param(
            paragraphs(PARA_EN, "Police listed the signs of trafficking:\n-Fear of authorities\n-No identity papers"),
            id="list-introduced-by-a-colon",
        ),
        pytest.param(
            paragraphs(PARA_EN, "By Friday the authorities had freed all of the hostages."), id="by-inside-a-sentence"
        ),
        pytest.param(
            paragraphs(PARA_EN, "Publicado el 3 de marzo, el decreto establece nuevas penas para la extorsión."),
            id="line-starting-with-a-date-written-as-prose-es",
        ),
        pytest.param(
            paragraphs(PARA_EN, "March 3, 2024 - Police arrested five men in the port"),
            id="line-starting-with-a-date-written-as-prose-en",
        ),
        pytest.param(
            paragraphs(PARA_EN, "Investigators showed the victims a photo: the man was identified within minutes."),
            id="long-paragraph-that-mentions-a-photo",
        ),
        pytest.param(
            paragraphs("Police arrested three men on Friday.", "officials gave no names."),
            id="paragraphs-with-end-punctuation-not-joined",
        ),
        pytest.param(
            paragraphs("Navy seizes five tonnes of cocaine off the coast", PARA_EN),
            id="headline-not-joined-to-the-first-paragraph",
        ),
    ],
)
def test_content_is_kept(text: str) -> None:
    assert clean(text).text == text


# --------------------------------------------------------------------------- teasers


@pytest.mark.parametrize(
    "teaser",
    [
        "(Also read: Storm leaves thousands without power in the north)",
        "(Also: Airline strike grounds 300 flights)",
        "Also read | Farmers protest over water prices",
        "Read more: City council approves new budget",
        "Read also: New bridge opens after two years of works",
        "Related: Central bank holds interest rates",
        "Lea también: Suben las tarifas del transporte urbano",
        "Lee también: Inauguran nuevo hospital en el sur",
        "Leer más: Un perro rescata a su dueño de un incendio",
        "Ver también: Festival de cine anuncia su programación",
        "(Vea también: Concierto gratuito en la plaza principal)",
        "Le puede interesar: Cierran vía por obras durante el fin de semana",
        "Te puede interesar: Empate sin goles en el clásico",
        "Te recomendamos: Receta de tamales para Navidad",
    ],
)
def test_teaser_lines_are_removed(teaser: str) -> None:
    assert_removed(PARA_EN, teaser, PARA_EN2, "teaser")


def test_parenthesized_teaser_inside_a_paragraph() -> None:
    text = PARA_ES + " (Lea también: Nueva ley de tránsito entra en vigor) " + PARA_ES2
    result = clean(text)
    assert result.text == PARA_ES + " " + PARA_ES2
    assert [r.reason for r in result.removed] == ["teaser"]


# --------------------------------------------------------------------------- related-news lists


def test_related_header_takes_the_headlines_under_it() -> None:
    text = paragraphs(PARA_EN, PARA_EN2, "RELATED NEWS\nHarbour fees to rise next year, port says")
    result = clean(text)
    assert result.text == paragraphs(PARA_EN, PARA_EN2)
    assert set(reasons(result).values()) == {"related_list"}


def test_more_from_header_and_spanish_numbered_list() -> None:
    text = paragraphs(PARA_ES, PARA_ES2) + (
        "\nMás noticias de Actualidad\n- 1\nGana el equipo local en el último minuto\n"
        "- 2\nAbren inscripciones para el maratón de la ciudad\n"
    )
    result = clean(text)
    assert result.text == paragraphs(PARA_ES, PARA_ES2)
    assert "Gana el equipo local en el último minuto" in reasons(result)


def test_mas_noticias_with_sentence_headlines() -> None:
    text = paragraphs(
        PARA_ES,
        "MÁS NOTICIAS:\nUna panadería del centro cumple cien años. Sus dueños celebran con descuentos.\n"
        "Un colegio rural gana un concurso nacional de robótica.",
    )
    assert clean(text).text == PARA_ES


def test_header_before_the_body_does_not_take_the_headline() -> None:
    headline = "Police break up smuggling ring at the border"
    text = paragraphs("Popular now:\n" + headline, PARA_EN, "LATEST STORIES\n\n" + PARA_EN2)
    result = clean(text)
    assert result.text.startswith(headline)
    assert PARA_EN2 in result.text
    assert "Popular now:" not in result.text
    assert "LATEST STORIES" not in result.text


def test_trailing_bulleted_headline_list() -> None:
    text = paragraphs(PARA_EN, PARA_EN2) + "\n- Storm warning for the coast\n- Museum reopens after repairs\n"
    result = clean(text)
    assert result.text == paragraphs(PARA_EN, PARA_EN2)
    assert set(reasons(result).values()) == {"related_list"}


def test_teaser_label_alone_takes_only_the_next_line() -> None:
    lines = [PARA_ES, "Lea también", "Cierran el puente principal por obras", PARA_ES2, PARA_ES]
    result = clean("\n".join(lines))
    assert result.text == "\n".join([PARA_ES, PARA_ES2, PARA_ES])


# --------------------------------------------------------------------------- embedded posts


def test_tweet_footer_removed_and_tweet_text_kept() -> None:
    post = "Prosecutors raided 12 properties and detained 9 suspects in the north of the country."
    footer = "pic.twitter.com/AbC123xyz — Attorney General (@FiscalGeneral) March 3, 2024"
    result = clean(paragraphs(PARA_EN, post + " " + footer, PARA_EN2))
    assert result.text == paragraphs(PARA_EN, post, PARA_EN2)
    assert reasons(result) == {footer: "embed_footer"}


def test_tco_footer_and_spanish_date() -> None:
    post = "Capturados dos presuntos sicarios en el barrio El Carmen"
    footer = "https://t.co/Zz9yX8 — Policía Nacional (@PoliciaNal) 6 de abril de 2018"
    result = clean(paragraphs(post + " " + footer, PARA_ES))
    assert result.text == paragraphs(post, PARA_ES)
    assert reasons(result)[footer] == "embed_footer"


# --------------------------------------------------------------------------- bylines and credits


@pytest.mark.parametrize(
    "line",
    [
        "AFP",
        "EFE",
        "(Reuters)",
        "jm/rd",
        "Reporting by Jane Okafor; Editing by Tom Reyes",
        "By Laura Gutierrez",
        "Por María Fernanda López",
        "Compiled from wire reports",
        "Copyright 2024 The Daily Example. All rights reserved.",
        "Copyright © 2019 Example Media Group",
        "Todos los derechos reservados Diario del Valle",
        "(Con información de EFE y AFP)",
    ],
)
def test_credit_lines_are_removed(line: str) -> None:
    assert_removed(PARA_EN, line, PARA_EN2, "byline")


# --------------------------------------------------------------------------- widgets


@pytest.mark.parametrize(
    "line",
    [
        "ADVERTISEMENT",
        "Advertisement - scroll to continue",
        "Sponsored Content",
        "The ad in this space is still loading; keep scrolling to read the rest of the story.",
        "Sorry, this clip could not be played right now.",
        "Share this article",
        "Sign up for our morning newsletter to get the day's headlines",
        "Register for free to continue reading and get full access",
        "Síguenos en Google Noticias",
        "Únete a nuestro canal de WhatsApp",
        "Comparte esta nota con tus amigos",
        "Ver video completo:",
        "Popular now:",
        "visitor counter",
        "LATEST STORIES",
        "IMG_0093.JPG",
        "3 min read",
        "This story has been updated.",
        "Etiquetas: Seguridad, Narcotráfico",
        "redaccion@diario.example",
    ],
)
def test_widget_lines_are_removed(line: str) -> None:
    result = clean(paragraphs(PARA_ES, line, PARA_ES2))
    assert result.text == paragraphs(PARA_ES, PARA_ES2)
    assert len(result.removed) == 1


def test_inline_player_messages_inside_a_paragraph() -> None:
    text = PARA_EN + " Sorry, this clip could not be played right now. " + PARA_EN2
    result = clean(text)
    assert result.text == PARA_EN + " " + PARA_EN2
    assert [r.reason for r in result.removed] == ["widget"]


def test_navigation_menus() -> None:
    text = "Home World Politics Business Sports Weather\nJusticia\nSportsWorldMarketsTech\n\n" + PARA_EN
    result = clean(text)
    assert result.text == PARA_EN
    assert set(reasons(result).values()) == {"nav"}


# --------------------------------------------------------------------------- captions


@pytest.mark.parametrize(
    "caption",
    [
        "Children play in a fountain during the heatwave. Photo: Archive",
        "Vendedores instalan sus puestos en la feria. Foto: Cortesía Alcaldía",
        "Una mujer observa el río crecido. (Foto Diario Local: Archivo)",
        "A ferry leaves the harbour at dawn. Picture: File",
        "FILE - A view of the city hall in the capital, on Monday, May 6, 2019.",
        "Un tractor recorre un campo de trigo en la llanura. / efe",
        "Image caption, Firefighters at the scene of the blaze",
    ],
)
def test_captions_are_removed(caption: str) -> None:
    assert_removed(PARA_EN, caption, PARA_EN2, "caption")


@pytest.mark.parametrize(
    "line",
    [
        "Updated: 14/03/2024 09:12",
        "Publicado el 3 de marzo de 2024",
        "Dec 4, 2023 - 10:15 GMT",
        ". Jun 2, 2021",
    ],
)
def test_stamp_lines_are_removed(line: str) -> None:
    result = clean(paragraphs(line, PARA_EN))
    assert result.text == PARA_EN
    assert reasons(result) == {line: "meta"}


# --------------------------------------------------------------------------- markup


def test_html_remnants_removed_and_entities_decoded() -> None:
    text = (
        "Police said the gang&#8217;s leader fled.</p> <p>Officers seized &quot;weapons&quot; &amp; cash."
        '</p> <iframe src="x" width="100%"></iframe> <hr class="sep"/> <p>The case continues.'
    )
    result = clean(text)
    assert result.text == (
        'Police said the gang’s leader fled.\n\nOfficers seized "weapons" & cash.\n\nThe case continues.'
    )
    kinds = {r.reason for r in result.removed}
    assert kinds == {"markup", "entity"}
    start = result.text.index("Officers")
    end = result.text.index("cash.") + 5
    o_start, o_end = result.offsets.span_to_original(start, end)
    assert text[o_start:o_end] == "Officers seized &quot;weapons&quot; &amp; cash."


def test_inline_tags_leave_words_joined_correctly() -> None:
    result = clean('The <a href="/x">navy</a> said <strong>five</strong> boats were seized.')
    assert result.text == "The navy said five boats were seized."


# --------------------------------------------------------------------------- layout


def test_broken_paragraph_rejoined_before_a_name() -> None:
    text = "Police dismantled a cell of the Cartel de\n\nSinaloa operating in the port, officials said."
    result = clean(text)
    assert (
        result.text
        == "Police dismantled a cell of the Cartel de Sinaloa operating in the port, officials said."
    )
    # the synthesized space maps to the end of the preceding run
    space = result.text.index("de Sinaloa") + 2
    assert result.offsets.to_original(space) == text.index("\n\nSinaloa")


def test_broken_paragraph_rejoined_when_next_starts_lowercase() -> None:
    text = "Los agentes encontraron armas y\n\ndinero en efectivo dentro de la vivienda."
    assert clean(text).text == "Los agentes encontraron armas y dinero en efectivo dentro de la vivienda."


def test_glued_sentences_get_a_space() -> None:
    result = clean("He was arrested in 2013.The case was reopened on Monday.")
    assert result.text == "He was arrested in 2013. The case was reopened on Monday."


def test_removed_lines_leave_single_blank_lines() -> None:
    text = "\n\n" + paragraphs(PARA_EN, "ADVERTISEMENT", "", "", PARA_EN2, "AFP") + "\n\n"
    assert clean(text).text == paragraphs(PARA_EN, PARA_EN2)


def test_clean_text_is_unchanged_and_identity_mapped() -> None:
    text = paragraphs(PARA_EN, PARA_EN2)
    result = clean(text)
    assert result.text == text
    assert result.removed == ()
    assert result.offsets.segments == ((0, 0, len(text)),)


def test_empty_text() -> None:
    result = clean("")
    assert result.text == ""
    assert result.offsets.segments == ()


# --------------------------------------------------------------------------- mechanics


def test_compose_segments_skips_synthesized_characters() -> None:
    # B copies A[0:5] and A[8:12] with one synthesized char between: B = A[0:5] + "x" + A[8:12]
    inner = [(0, 0, 5), (6, 8, 4)]
    # C copies B[2:9]
    outer = [(0, 2, 7)]
    assert compose_segments(outer, inner) == [(0, 2, 3), (4, 8, 3)]


def test_rules_load_once_and_every_group_has_patterns() -> None:
    rules = load_clutter_rules()
    assert rules is load_clutter_rules()
    assert all(group.patterns for group in rules.groups)
    assert {"teaser", "widget", "byline", "caption", "related_list", "embed_footer"} <= {
        g.reason for g in rules.groups
    }


DEV = Path("/work/shared/eval/dev")


@pytest.mark.skipif(not DEV.exists(), reason="dev set not available")
def test_dev_set_offsets_and_evidence() -> None:
    """On every dev article: offsets exact, and every gold evidence sentence survives."""
    from crimewire.readers import read_file

    for gold_path in sorted((DEV / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        [article] = list(read_file(DEV / "articles" / f"{gold_path.stem}.txt"))
        assert isinstance(article, Article)
        result = clean_article(article)
        assert_offsets(result)
        flat = "".join(result.text.split())
        for event in gold["events"]:
            evidence = "".join(event["evidence"].replace("&#8217;", "’").split())
            assert evidence in flat, (gold_path.stem, event["evidence"][:60])

"""Language detection: the text decides when it can; the declared language is only a hint."""

from __future__ import annotations

from crimewire.language import detect_language, detect_span_language, language_detector
from crimewire.records import Article, CleanArticle, OffsetMap

EN = (
    "Coast guard officers intercepted a speedboat carrying two tonnes of cocaine near the island "
    "on Saturday and arrested the four men on board, the navy said in a statement."
)
ES = (
    "Agentes de la guardia costera interceptaron el sábado una lancha que transportaba dos toneladas "
    "de cocaína cerca de la isla y detuvieron a los cuatro hombres a bordo, informó la armada."
)
PT = (
    "A Polícia Federal prendeu nesta terça-feira seis suspeitos de integrar uma quadrilha que "
    "enviava cocaína para a Europa escondida em cargas de frutas, informou a corporação."
)


def cleaned(text: str, declared: str | None = None) -> CleanArticle:
    article = Article(id="x", text=text, lang=declared)
    return CleanArticle(article=article, text=text, offsets=OffsetMap.identity(len(text)), lang=declared)


def test_english_and_spanish_articles() -> None:
    en = detect_language(cleaned(EN))
    es = detect_language(cleaned(ES))
    assert (en.lang, es.lang) == ("en", "es")
    assert en.lang_confidence is not None and en.lang_confidence > 0.9
    assert es.lang_confidence is not None and es.lang_confidence > 0.9


def test_other_known_language() -> None:
    assert detect_language(cleaned(PT)).lang == "pt"


def test_text_overrides_a_wrong_declared_language() -> None:
    result = detect_language(cleaned(ES, declared="en"))
    assert result.lang == "es"
    assert result.article.lang == "en"  # the record read from the source is untouched


def test_short_text_falls_back_to_declared_language() -> None:
    result = detect_language(cleaned("Lima", declared="es"))
    assert result.lang == "es"
    assert result.lang_confidence is None


def test_low_confidence_falls_back_to_declared_language() -> None:
    # A three-word place name is long enough to try but too ambiguous to trust.
    result = detect_language(cleaned("San Pedro Sula", declared="es"))
    assert result.lang == "es"
    assert result.lang_confidence is None


def test_nothing_to_judge_and_nothing_declared() -> None:
    result = detect_language(cleaned(""))
    assert result.lang is None
    assert result.lang_confidence is None


def test_detection_keeps_the_rest_of_the_record() -> None:
    before = cleaned(EN)
    after = detect_language(before)
    assert after.text == before.text
    assert after.offsets == before.offsets
    assert after.article is before.article


def test_span_language_of_quotes() -> None:
    assert detect_span_language("“No vamos a permitir que el crimen organizado controle los barrios”") == "es"
    assert detect_span_language("“We will not let organized crime run our neighbourhoods”") == "en"
    assert detect_span_language("Lima") is None
    assert detect_span_language("") is None


def test_detector_is_built_once() -> None:
    assert language_detector() is language_detector()

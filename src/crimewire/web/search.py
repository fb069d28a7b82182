"""Full-text search over article titles and texts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from crimewire.storage import SearchHit, search
from crimewire.storage.search import count_matches
from crimewire.web.deps import PAGE_SIZE, Db, Limit, Offset, PageNumber, render
from crimewire.web.highlight import marked
from crimewire.web.models import Page

router = APIRouter()

# Private-use characters mark the matches in the snippets: they never occur in news text, and
# the page splits the snippet at them after nothing has been marked up yet.
MARKS = ("\ue000", "\ue001")

Q = Annotated[str, Query(max_length=500, description='Words to find; "quoted phrases"; OR between words.')]


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, db: Db, q: Q = "", page: PageNumber = 1) -> HTMLResponse:
    """Search results with the matching words highlighted in each snippet."""
    hits = search(db, q, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE, marks=MARKS) if q.strip() else []
    return render(
        request,
        "search.html",
        title=f"Search: {q}" if q else "Search",
        nav="search",
        q=q,
        page=page,
        more=len(hits) > PAGE_SIZE,
        hits=[(h, marked(h.snippet, MARKS)) for h in hits[:PAGE_SIZE]],
    )


@router.get("/api/search", response_model=Page[SearchHit], tags=["search"])
def search_api(
    db: Db,
    q: Q,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[SearchHit]:
    """Articles matching the words, best first; matches sit between [ and ] in the snippet.

    ``total`` is the number of matching articles on all pages.
    """
    return Page(total=count_matches(db, q), limit=limit, offset=offset, items=search(db, q, limit, offset))

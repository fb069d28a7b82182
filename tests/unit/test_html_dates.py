"""The publication date an HTML page states in its markup wins over dates in its URL."""

from __future__ import annotations

from datetime import date

from crimewire.readers.web import article_from_html, stated_date

PAGE = b"""<html lang="en"><head><title>Police free 12 in raid</title>
<meta property="article:published_time" content="2024-05-06T08:30:00Z">
<link rel="canonical" href="https://news.example/2023/01/26-victims-freed/"></head>
<body><article><h1>Police free 12 in raid</h1>
<p>Police freed twelve women held in a house in Callao on Sunday and arrested three men, the Interior
Ministry said in a statement on Monday. The women, all of them foreign nationals, had been recruited
with offers of work in restaurants and were forced to hand over their earnings.</p>
<p>Officers seized two pistols and cash at the house, the statement said.</p></article></body></html>"""


def test_meta_date_wins_over_the_url() -> None:
    article = article_from_html(PAGE, "page.html", url="https://news.example/2023/01/26-victims-freed/")
    assert not hasattr(article, "reason"), article
    assert article.published == date(2024, 5, 6)  # type: ignore[union-attr]


def test_stated_date_forms() -> None:
    assert stated_date(b'<script type="application/ld+json">{"datePublished": "2023-01-25T10:00"}</script>') == date(
        2023, 1, 25
    )
    assert stated_date(b'<meta content="2022-02-02" name="pubdate">') == date(2022, 2, 2)
    assert stated_date(b"<p>no date here</p>") is None

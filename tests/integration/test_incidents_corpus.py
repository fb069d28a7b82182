"""Incidents from the written test corpus through the real pipeline, in any order; dev-set checks.

``tests/data/incidents/key.toml`` lists the same-incident groups and the look-alike pairs.
The articles are extracted once with the real models; each test stores them in a fresh SQLite
file and resolves them one by one, as ``crimewire ingest`` does.
"""

from __future__ import annotations

import itertools
import random
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from crimewire.pipeline import load_resources, process_articles
from crimewire.readers import iter_articles
from crimewire.records import Article, ArticleResult
from crimewire.resolve import resolve_all, resolve_article
from crimewire.storage import open_database, store_result
from crimewire.storage.db import Database
from crimewire.storage.incidents import IncidentFilter, get_incident, list_incidents

CORPUS = Path(__file__).resolve().parent.parent / "data" / "incidents"
DEV = Path("/work/shared/eval/dev/articles")

Snapshot = list[tuple[str, str, tuple[tuple[str, int], ...], object, object, tuple[str, ...]]]


def extract(paths: list[Path]) -> list[ArticleResult]:
    articles = [a for a in iter_articles([str(p) for p in paths]) if isinstance(a, Article)]
    return list(process_articles(articles, load_resources()))


@pytest.fixture(scope="module")
def results() -> list[ArticleResult]:
    return extract(sorted(CORPUS.glob("*.txt")))


@pytest.fixture(scope="module")
def key() -> dict:
    return tomllib.loads((CORPUS / "key.toml").read_text(encoding="utf-8"))


def ingest(path: Path, results: list[ArticleResult]) -> Database:
    db = open_database(path)
    for r in results:
        store_result(db, r)
        resolve_article(db, r.article.id)
    return db


def by_item(db: Database) -> dict[tuple[str, str], set[str]]:
    """(article, type) → the incidents its events are in."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for article, type_, incident in db.conn.execute("SELECT article_id, type, incident_id FROM incident_members"):
        found[(article, type_)].add(incident)
    return found


def snapshot(db: Database) -> Snapshot:
    """Every incident with its members and chosen values: what ingestion order must not change."""
    members: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for incident, article, seq in db.conn.execute(
        "SELECT incident_id, article_id, seq FROM incident_members ORDER BY 1, 2, 3"
    ):
        members[incident].append((article, seq))
    rows = {r.id: r for r in list_incidents(db, IncidentFilter(limit=None))}
    return sorted(
        (i, rows[i].type, tuple(m), rows[i].count, rows[i].date, tuple(rows[i].places)) for i, m in members.items()
    )


def test_groups_merge_and_look_alikes_stay_apart(tmp_path: Path, results: list[ArticleResult], key: dict) -> None:
    db = ingest(tmp_path / "corpus.db", results)
    found = by_item(db)
    assert len(key["group"]) >= 8 and len(key["apart"]) >= 8
    for group in key["group"]:
        incidents = [found.get((a, group["type"]), set()) for a in group["articles"]]
        assert all(incidents), f"{group['name']}: an article has no {group['type']} event"
        assert len(set().union(*incidents)) == 1, f"{group['name']} split: {incidents}"
        incident = next(iter(incidents[0]))
        members = {a for a, _ in snapshot_members(db, incident)}
        assert members == set(group["articles"]), f"{group['name']} took in {members}"
    for pair in key["apart"]:
        incidents = [found.get((a, pair["type"]), set()) for a in pair["articles"]]
        assert all(incidents), f"{pair['name']}: an article has no {pair['type']} event"
        assert not any(x & y for x, y in itertools.combinations(incidents, 2)), f"{pair['name']} merged"
    db.close()


def snapshot_members(db: Database, incident: str) -> list[tuple[str, int]]:
    return [(r[0], r[1]) for r in db.conn.execute(
        "SELECT article_id, seq FROM incident_members WHERE incident_id = ?", (incident,))]


def test_conflicting_counts_are_kept_and_the_official_one_chosen(tmp_path: Path, results: list[ArticleResult]) -> None:
    db = ingest(tmp_path / "corpus.db", results)
    incident = next(iter(by_item(db)[("g01-trujillo-radio", "rescue")]))
    detail = get_incident(db, incident)
    assert detail is not None and detail.row.n_sources == 3
    counts = dict(dict(detail.conflicts)["count"])
    assert counts[47] == ["g01-trujillo-en", "g01-trujillo-es"] and counts[39] == ["g01-trujillo-radio"]
    assert detail.row.count == 47 and "official" in (detail.row.count_rule or "")
    db.close()


def test_shuffled_orders_give_identical_incidents(tmp_path: Path, results: list[ArticleResult]) -> None:
    reference = ingest(tmp_path / "sorted.db", results)
    expected = snapshot(reference)
    rebuilt = resolve_all(reference)
    assert rebuilt.incidents == len(expected) and snapshot(reference) == expected
    reference.close()
    rng = random.Random(20240615)
    for n in range(3):
        order = results[:]
        rng.shuffle(order)
        db = ingest(tmp_path / f"shuffled{n}.db", order)
        assert snapshot(db) == expected, f"shuffle {n} differs"
        db.close()


@pytest.mark.skipif(not DEV.is_dir(), reason="dev set not available")
def test_dev_set_incidents(tmp_path: Path) -> None:
    db = ingest(tmp_path / "dev.db", extract(sorted(DEV.glob("*.txt"))))
    found = by_item(db)
    for type_, articles in (("arrest", {"001", "002", "023"}), ("rescue", {"001", "002", "023"}),
                            ("killing", {"007", "008"})):
        incidents = set().union(*(found.get((a, type_), set()) for a in articles))
        assert len(incidents) == 1, f"{type_} of {sorted(articles)}: {incidents}"
        assert {a for a, _ in snapshot_members(db, next(iter(incidents)))} == articles
    for type_ in ("arrest", "rescue"):
        assert not found.get(("000", type_), set()) & found.get(("001", type_), set())
    db.close()

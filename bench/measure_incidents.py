"""Measure incident resolution: pairwise precision/recall on the test corpus, and the dev-set checks.

    .venv/bin/python bench/measure_incidents.py [--corpus tests/data/incidents]
        [--dev /work/shared/eval/dev] [--db DIR] [--pairs] [--sweep]

Both sets go through the real pipeline (``process_articles``), are stored with
``store_result`` in a real SQLite file and resolved with ``resolve_article`` one article at a
time, as ``crimewire ingest`` does.

Corpus: ``key.toml`` lists the same-incident groups and the look-alike pairs. Every event of a
listed (article, type) gets the group's label; every other event is its own incident. Over all
pairs of events of the same type: precision = pairs put in one incident that the key groups /
pairs put in one incident; recall = key pairs put in one incident. Then each group (merged?)
and each look-alike pair (kept apart?). ``--pairs`` prints every scored pair with its features;
``--sweep`` recomputes the clustering at other thresholds from the stored pair scores.

Dev: articles 001, 002, 023 → one arrest and one rescue incident with three sources each;
007, 008 → one killing incident with two sources; 000 apart from 001.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from pathlib import Path

from crimewire.pipeline import load_resources, process_articles
from crimewire.readers import iter_articles
from crimewire.resolve import incidents as matching
from crimewire.resolve import resolve_article
from crimewire.storage import open_database, store_result
from crimewire.storage.db import Database
from crimewire.storage.incidents import IncidentSession

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "tests" / "data" / "incidents"
DEFAULT_DEV = Path("/work/shared/eval/dev")

Key = tuple[str, int]


def ingest(paths: list[Path], db_path: Path) -> tuple[Database, float, float]:
    """Extract, store and resolve articles one by one; (database, extract s, resolve s)."""
    res = load_resources()
    db = open_database(db_path)
    articles = list(iter_articles([str(p) for p in paths]))
    t0 = time.perf_counter()
    results = list(process_articles([a for a in articles if not hasattr(a, "reason")], res))
    t1 = time.perf_counter()
    for r in results:
        store_result(db, r)
        resolve_article(db, r.article.id, kb=res.kb)
    t2 = time.perf_counter()
    return db, t1 - t0, t2 - t1


def memberships(db: Database) -> dict[Key, tuple[str, str]]:
    """(article, seq) → (incident id, type) of every placed report."""
    rows = db.conn.execute(
        "SELECT m.article_id, m.seq, m.incident_id, m.type FROM incident_members m "
        "JOIN events e ON e.article_id = m.article_id AND e.seq = m.seq"
    )
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def gold_labels(key: dict, members: dict[Key, tuple[str, str]]) -> dict[Key, str]:
    """The key's incident label of each report (its own key when no group lists it)."""
    by_item = {(a, g["type"]): g["name"] for g in key.get("group", []) for a in g["articles"]}
    return {k: by_item.get((k[0], t), f"{k[0]}#{k[1]}") for k, (_, t) in members.items()}


def pairwise(labels: dict[Key, str], predicted: dict[Key, str], types: dict[Key, str]) -> tuple[float, float, int, int]:
    """(precision, recall, gold pairs, predicted pairs) over same-type pairs of reports."""
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(labels), 2):
        if types[a] != types[b]:
            continue
        same_gold, same_pred = labels[a] == labels[b], predicted[a] == predicted[b]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp + fn, tp + fp


def check_key(key: dict, members: dict[Key, tuple[str, str]]) -> list[tuple[str, str, bool, str]]:
    """(kind, name, ok, detail) for every group and look-alike pair of the key."""
    by_item: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (article, _), (incident, type_) in members.items():
        by_item[(article, type_)].add(incident)
    checks = []
    for g in key.get("group", []):
        found = [by_item.get((a, g["type"]), set()) for a in g["articles"]]
        missing = [a for a, f in zip(g["articles"], found, strict=True) if not f]
        incidents = set().union(*found)
        ok = not missing and len(incidents) == 1
        detail = f"missing events: {missing}" if missing else f"incidents: {sorted(incidents)}"
        checks.append(("group", g["name"], ok, detail))
    for p in key.get("apart", []):
        found = [by_item.get((a, p["type"]), set()) for a in p["articles"]]
        missing = [a for a, f in zip(p["articles"], found, strict=True) if not f]
        ok = not any(x & y for x, y in itertools.combinations(found, 2))
        detail = f"(missing events: {missing})" if missing else ""
        checks.append(("apart", p["name"], ok, detail))
    return checks


def scored_pairs(db: Database) -> list[tuple[Key, Key, float, bool, str | None, str]]:
    """Every stored pair: (a, b, score, linked, conflict, features JSON)."""
    return [
        ((r[0], r[1]), (r[2], r[3]), float(r[4]), bool(r[5]), r[6], r[7])
        for r in db.conn.execute(
            "SELECT a_article, a_seq, b_article, b_seq, score, linked, conflict, features FROM incident_links "
            "ORDER BY score DESC"
        )
    ]


def sweep(db: Database, labels: dict[Key, str], types: dict[Key, str], thresholds: list[float]) -> None:
    """Precision/recall when the clustering is redone at other thresholds (stored scores)."""
    ctx = matching.make_context(load_resources().kb)
    session = IncidentSession(db.conn)
    reports = {r.key: r for rs in session.article_reports({k[0] for k in labels}).values() for r in rs}
    pairs = scored_pairs(db)
    print("\nthreshold sweep (pairs stored only from score >= NEAR):")
    for t in thresholds:
        edges = [(a, b, s) for a, b, s, _, c, _ in pairs if c is None and s >= t]
        groups = matching.cluster(reports, edges, lambda x, y: matching.conflict(reports[x], reports[y], ctx))
        predicted = {k: str(i) for i, g in enumerate(groups) for k in g}
        p, r, _, _ = pairwise(labels, predicted, types)
        print(f"  {t:4.1f}: precision {p:.3f} recall {r:.3f}")


def corpus(path: Path, workdir: Path, show_pairs: bool, do_sweep: bool) -> bool:
    key = tomllib.loads((path / "key.toml").read_text(encoding="utf-8"))
    db, t_extract, t_resolve = ingest(sorted(path.glob("*.txt")), workdir / "corpus.db")
    members = memberships(db)
    labels = gold_labels(key, members)
    predicted = {k: v[0] for k, v in members.items()}
    types = {k: v[1] for k, v in members.items()}
    p, r, n_gold, n_pred = pairwise(labels, predicted, types)
    n_articles = len(list(path.glob("*.txt")))
    print(f"corpus {path}: {n_articles} articles, {len(members)} reports, "
          f"{len(set(predicted.values()))} incidents")
    print(f"  pairwise precision {p:.3f}  recall {r:.3f}  (key pairs {n_gold}, predicted pairs {n_pred})")
    print(f"  extract {t_extract:.1f} s; store + resolve {1000 * t_resolve / n_articles:.1f} ms/article")
    checks = check_key(key, members)
    for kind, name, ok, detail in checks:
        print(f"  [{'ok' if ok else 'FAIL'}] {kind:5} {name} {detail if not ok else ''}")
    pairs = scored_pairs(db)
    same = sorted(s for a, b, s, _, c, _ in pairs if c is None and labels[a] == labels[b])
    diff = sorted(s for a, b, s, _, c, _ in pairs if c is None and labels[a] != labels[b])
    print(f"  scores of same-incident pairs (no conflict): {same}")
    print(f"  scores of different-incident pairs (no conflict): {diff}")
    if show_pairs:
        for a, b, s, linked, c, features in pairs:
            tag = "same" if labels[a] == labels[b] else "diff"
            print(f"    {tag} {a[0]}#{a[1]} ~ {b[0]}#{b[1]} {s:5.1f} {'LINK' if linked else ''} {c or ''} {features}")
    if do_sweep:
        sweep(db, labels, types, [3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 7.0])
    db.close()
    return all(ok for _, _, ok, _ in checks)


def dev(path: Path, workdir: Path) -> bool:
    articles = sorted((path / "articles").glob("*.txt"))
    db, _t_extract, t_resolve = ingest(articles, workdir / "dev.db")
    members = memberships(db)
    by_item: dict[tuple[str, str], set[str]] = defaultdict(set)
    sources: dict[str, set[str]] = defaultdict(set)
    for (article, _), (incident, type_) in members.items():
        by_item[(article, type_)].add(incident)
        sources[incident].add(article)
    print(f"\ndev {path}: {len(articles)} articles, {len(members)} reports, {len(sources)} incidents, "
          f"{sum(1 for s in sources.values() if len(s) > 1)} with several sources; "
          f"store + resolve {1000 * t_resolve / len(articles):.1f} ms/article")
    ok_all = True

    def one_incident(type_: str, ids: list[str]) -> None:
        nonlocal ok_all
        found = set().union(*(by_item.get((a, type_), set()) for a in ids))
        ok = len(found) == 1 and sources[next(iter(found))] == set(ids)
        ok_all &= ok
        srcs = {i: sorted(sources[i]) for i in found}
        print(f"  [{'ok' if ok else 'FAIL'}] {type_}: {', '.join(ids)} -> {srcs}")

    one_incident("arrest", ["001", "002", "023"])
    one_incident("rescue", ["001", "002", "023"])
    one_incident("killing", ["007", "008"])
    shared = {i for t in ("arrest", "rescue") for i in by_item.get(("000", t), set())} & {
        i for t in ("arrest", "rescue") for i in by_item.get(("001", t), set())
    }
    print(f"  [{'ok' if not shared else 'FAIL'}] 000 (2023-12) apart from 001 (2025-02)")
    ok_all &= not shared
    multi = {i: sorted(s) for i, s in sources.items() if len(s) > 1}
    print(f"  incidents with several sources: {multi}")
    db.close()
    return ok_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--db", type=Path, default=None, help="Keep the databases in this directory.")
    parser.add_argument("--pairs", action="store_true", help="Print every scored pair of the corpus.")
    parser.add_argument("--sweep", action="store_true", help="Precision/recall at other thresholds.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.db or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for name in ("corpus.db", "dev.db"):
            for suffix in ("", "-wal", "-shm"):
                (workdir / f"{name}{suffix}").unlink(missing_ok=True)
        ok = corpus(args.corpus, workdir, args.pairs, args.sweep)
        if args.dev.is_dir():
            ok &= dev(args.dev, workdir)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Cross-article resolution: incidents (one per real-world happening) and entities.

Call ``resolve_article(db, article_id)`` after ``store_result`` stored (or replaced, or
deleted) an article, and ``resolve_all(db)`` to rebuild everything from scratch after a batch.

How an article is resolved, incrementally:

1. its previous reports (if it was stored before) leave their incidents and scored pairs;
2. each current, non-background report is placed with a time window and scored against the
   *candidates* SQL retrieves — reports of the same type whose windows meet its own, in the
   same (or an unknown) country — never against everything stored;
3. the reports connected to it by linked pairs (and the incidents it left) are regrouped
   with ``incidents.cluster``, a deterministic function of those reports and pairs, and their
   incidents rewritten. Nothing else is touched.

Because pair scores depend on the two reports only and the grouping only on the pairs, any
ingestion order gives the same incidents, with the same ids (derived from each incident's
first report), as ``resolve_all``. See ``resolve.incidents`` for the features and threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from crimewire.kb import KnowledgeBase, load_knowledge_base
from crimewire.resolve.entities import (
    resolve_agencies,
    resolve_all_persons,
    resolve_article_organizations,
    resolve_organizations,
    resolve_persons,
)
from crimewire.resolve.explain import bridged_line, founder_line, joined_line
from crimewire.resolve.incidents import (
    MAX_GAP_DAYS,
    NEAR,
    THRESHOLD,
    WIDEST_WINDOW_DAYS,
    Decision,
    MatchContext,
    cluster,
    conflict,
    founder,
    incident_id,
    make_context,
    report_country,
    score_pair,
    summarize,
    window,
)
from crimewire.storage.db import Database
from crimewire.storage.incidents import (
    IncidentRecord,
    IncidentSession,
    Key,
    MemberRecord,
    StoredReport,
    incident_session,
)


@dataclass(frozen=True, slots=True)
class ResolveOutcome:
    """What resolving one article did."""

    article_id: str
    reports: int  # reports of the article placed in incidents
    incidents: int  # incidents rewritten (the article's and those it touched)
    pairs: int  # candidate pairs scored
    unchanged: bool = False  # the stored result had already been resolved


@dataclass(frozen=True, slots=True)
class ResolveSummary:
    """What ``resolve_all`` built."""

    articles: int
    reports: int
    incidents: int
    pairs: int
    persons: int


class _Reports:
    """Reports loaded per article for one resolution run (siblings are needed for corroboration)."""

    def __init__(self, session: IncidentSession) -> None:
        self.session = session
        self.by_article: dict[str, tuple[StoredReport, ...]] = {}

    def load(self, article_ids: Iterable[str]) -> None:
        missing = {a for a in article_ids if a not in self.by_article}
        if missing:
            self.by_article.update(self.session.article_reports(missing))

    def article(self, article_id: str) -> tuple[StoredReport, ...]:
        self.load([article_id])
        return self.by_article[article_id]

    def get(self, key: Key) -> StoredReport | None:
        return next((r for r in self.article(key[0]) if r.seq == key[1]), None)


def _place(session: IncidentSession, reports: _Reports, report: StoredReport, ctx: MatchContext) -> int:
    """Place one report and score it against its candidates; returns pairs scored."""
    span = window(report)
    country = report_country(report)
    session.add_member(report.key, report.event.type, country, span)
    if span is None:
        return 0
    gap = timedelta(days=MAX_GAP_DAYS)
    candidates = session.candidates(
        report.event.type,
        country,
        span[0] - gap,
        span[1] + gap,
        span[0] - gap - timedelta(days=WIDEST_WINDOW_DAYS),
        report.article_id,
    )
    reports.load(k[0] for k in candidates)
    mine = reports.article(report.article_id)
    for key in candidates:
        other = reports.get(key)
        if other is None:
            continue
        decision = score_pair(report, other, ctx, mine, reports.article(other.article_id))
        if decision.linked or decision.score >= NEAR:
            session.add_link(
                decision.a, decision.b, decision.score, decision.linked, decision.conflict,
                [{"name": f.name, "points": f.points, "note": f.note} for f in decision.features],
            )
    return len(candidates)


def _component(session: IncidentSession, seeds: Iterable[Key]) -> set[Key]:
    """Every report connected to ``seeds`` by linked pairs."""
    seen = set(seeds)
    frontier = set(seen)
    while frontier:
        pairs = session.linked_pairs(sorted(frontier))
        frontier = {k for a, b, _ in pairs for k in (a, b)} - seen
        seen |= frontier
    return seen


def _groups(
    keys: Sequence[Key], edges: Sequence[tuple[Key, Key, float]], by_key: dict[Key, StoredReport], ctx: MatchContext
) -> list[list[Key]]:
    """The incidents of ``keys`` as groups of report keys."""

    def conflicts(a: Key, b: Key) -> str | None:
        return conflict(by_key[a], by_key[b], ctx)

    return cluster(keys, edges, conflicts)


def _record(
    group: Sequence[Key],
    edges: Sequence[tuple[Key, Key, float]],
    by_key: dict[Key, StoredReport],
    reports: _Reports,
    ctx: MatchContext,
) -> IncidentRecord:
    """One incident: its values, and why each report is in it."""
    members = [by_key[k] for k in group]
    first = founder(members)
    in_group = set(group)
    # Each report's strongest partner inside the incident (ties: the smallest key).
    best: dict[Key, tuple[float, Key]] = {}
    for a, b, score in edges:
        if a in in_group and b in in_group:
            for x, y in ((a, b), (b, a)):
                if x not in best or (-score, y) < (-best[x][0], best[x][1]):
                    best[x] = (score, y)
    member_records = []
    for r in sorted(members, key=lambda m: m.key):
        if r.key == first.key:
            member_records.append(MemberRecord(r.key, None, None, founder_line(r)))
        elif r.key in best:
            score, via_key = best[r.key]
            via = by_key[via_key]
            decision = score_pair(r, via, ctx, reports.article(r.article_id), reports.article(via.article_id))
            member_records.append(MemberRecord(r.key, via_key, score, joined_line(r, via, decision)))
        else:
            member_records.append(MemberRecord(r.key, None, None, bridged_line(r)))
    return summarize(members, member_records, ctx)


def _regroup(
    session: IncidentSession,
    reports: _Reports,
    ctx: MatchContext,
    keys: set[Key],
    dirty: set[str],
) -> int:
    """Recompute the incidents of ``keys`` (a union of whole components); returns how many changed.

    ``dirty``: incidents that lost or changed a report. An incident whose reports are exactly
    the same as before, none of them changed, keeps its stored row (its values are a function
    of its reports).
    """
    reports.load(k[0] for k in keys)
    gone = {k for k in keys if reports.get(k) is None}
    for article_id in sorted({k[0] for k in gone}):
        if not reports.article(article_id):
            session.remove_article(article_id)  # deleted since it was resolved
    live = sorted(keys - gone)
    before = session.member_incidents(sorted(keys))
    old_members: dict[str, set[Key]] = {}
    for k, incident in before.items():
        old_members.setdefault(incident, set()).add(k)
    by_key = {k: r for k in live if (r := reports.get(k)) is not None}
    edges = [(a, b, s) for a, b, s in session.linked_pairs(live) if a in by_key and b in by_key]
    records, kept = [], set()
    for group in _groups(live, edges, by_key, ctx):
        old = {before.get(k) for k in group}
        same = old.pop() if len(old) == 1 else None
        if (
            same
            and same not in dirty
            and old_members.get(same) == set(group)
            and same == incident_id(founder(by_key[k] for k in group).key)
        ):
            kept.add(same)
            continue
        records.append(_record(group, edges, by_key, reports, ctx))
    session.replace_incidents((set(old_members) | dirty) - kept, records)
    return len(records)


def resolve_article(db: Database, article_id: str, *, kb: KnowledgeBase | None = None) -> ResolveOutcome:
    """Bring incidents and entities up to date with the stored version of ``article_id``.

    Idempotent: an article whose stored result was already resolved is skipped. Also handles
    an article that was deleted (its reports leave their incidents). One transaction.
    """
    ctx = make_context(kb or load_knowledge_base())
    with incident_session(db) as session:
        stored, done = session.article_hashes(article_id)
        if stored is not None and stored == done:
            return ResolveOutcome(article_id, 0, 0, 0, unchanged=True)
        old = session.article_members(article_id)
        session.remove_article(article_id)
        reports = _Reports(session)
        mine = reports.article(article_id)
        pairs = sum(_place(session, reports, r, ctx) for r in mine)
        seeds = {r.key for r in mine} | set(session.incident_members(set(old.values())))
        keys = _component(session, seeds)
        n = _regroup(session, reports, ctx, keys, set(old.values()))
        resolve_article_organizations(session, article_id, ctx.kb)
        resolve_agencies(session, article_id, ctx.kb)
        resolve_persons(session, article_id)
        session.mark_resolved(article_id)
    return ResolveOutcome(article_id, len(mine), n, pairs)


def resolve_all(db: Database, *, kb: KnowledgeBase | None = None) -> ResolveSummary:
    """Rebuild every incident and entity from the stored articles (one transaction).

    Gives the same incidents as resolving the articles one by one, in any order.
    """
    ctx = make_context(kb or load_knowledge_base())
    with incident_session(db) as session:
        session.clear()
        session.clear_entities()
        article_ids = session.article_ids()
        reports = _Reports(session)
        reports.load(article_ids)
        pairs = 0
        placed: list[Key] = []
        for article_id in article_ids:
            for r in reports.article(article_id):
                pairs += _place(session, reports, r, ctx)
                placed.append(r.key)
        n = _regroup(session, reports, ctx, set(placed), set())
        resolve_organizations(session, ctx.kb)
        for article_id in article_ids:
            resolve_agencies(session, article_id, ctx.kb)
            session.mark_resolved(article_id)
        persons = resolve_all_persons(session, article_ids)
    return ResolveSummary(len(article_ids), len(placed), n, pairs, persons)


def explain_pair(db: Database, a: Key, b: Key, *, kb: KnowledgeBase | None = None) -> Decision | None:
    """Score two stored reports now (for debugging a match); ``None`` if either is not stored."""
    ctx = make_context(kb or load_knowledge_base())
    reports = _Reports(IncidentSession(db.conn))  # reads only: no write transaction
    ra, rb = reports.get(a), reports.get(b)
    if ra is None or rb is None:
        return None
    return score_pair(ra, rb, ctx, reports.article(a[0]), reports.article(b[0]))


__all__ = [
    "NEAR",
    "THRESHOLD",
    "ResolveOutcome",
    "ResolveSummary",
    "explain_pair",
    "resolve_all",
    "resolve_article",
]

"""The JSON form of an ArticleResult: the contract of ../shared/eval/SCHEMA.md.

The scorer reads ``id``, ``lang``, ``date``, ``events`` (type, evidence, date, count,
country, places, organizations, agencies, nationalities) and ``organizations``; the
other fields are ours (offsets, qualifiers, precision, rule, attribution, sources).
"""

from __future__ import annotations

from typing import Any

from crimewire.records import ArticleResult, Event


def event_to_dict(event: Event) -> dict[str, Any]:
    """One event in contract form, with crimewire's extra fields."""
    ev = event.evidence
    return {
        "type": event.type,
        "evidence": ev.sentence,
        "date": event.date.value.isoformat() if event.date and event.date.value else None,
        "date_precision": event.date.precision if event.date and event.date.value else None,
        "date_text": event.date.text if event.date else None,
        "count": event.count.value if event.count else None,
        "count_qualifier": event.count.qualifier if event.count and event.count.value is not None else None,
        "count_text": event.count.text if event.count else None,
        "country": event.country,
        "places": [p.text for p in event.places],
        "places_resolved": [
            {"name": p.name, "kind": p.kind, "country": p.country, "region": p.region,
             "city": p.city, "lat": p.lat, "lon": p.lon, "precision": p.precision, "geonameid": p.geonameid}
            for p in event.places
        ],
        "organizations": [o.name for o in event.organizations],
        "organization_roles": [{"name": o.name, "role": o.role, "parent": o.parent} for o in event.organizations],
        "agencies": list(event.agencies),
        "nationalities": list(event.nationalities),
        "items": [
            {"item": q.item, "amount": q.amount, "unit": q.unit, "text": q.text} for q in event.items
        ],
        "attribution": (
            {"source": event.attribution.source, "text": event.attribution.text, "kind": event.attribution.kind}
            if event.attribution else None
        ),
        "background": event.background,
        "trigger": ev.trigger,
        "rule": ev.rule,
        "offsets": [ev.start, ev.end],
        "also_evidence": [e.sentence for e in event.also_evidence],
        "sources": [
            {"argument": s.argument, "value": s.value, "text": s.text, "how": s.how} for s in event.sources
        ],
        "notes": list(event.notes),
    }


def result_to_dict(result: ArticleResult) -> dict[str, Any]:
    """One article's extraction in contract form."""
    article = result.article
    return {
        "id": article.id,
        "lang": result.clean.lang,
        "date": article.published.isoformat() if article.published else None,
        "date_known": article.published is not None,
        "url": article.url,
        "title": article.title,
        "origin": article.origin,
        "status": result.status,
        "events": [event_to_dict(e) for e in result.events],
        "organizations": [
            {"name": o.name, "aliases": list(o.aliases), "parent": o.parent} for o in result.organizations
        ],
        "removed": [{"text": r.text, "reason": r.reason, "offsets": [r.start, r.end]} for r in result.clean.removed],
        "notes": list(result.notes),
    }

"""Match decisions in words: why a report joined an incident, why two reports stayed apart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crimewire.resolve.incidents import THRESHOLD, Decision, Feature
from crimewire.storage.incidents import StoredReport, key_text


def feature_text(features: Iterable[Feature]) -> str:
    """``"same day 2025-02-07 (+3); same count 23 (+3)"``, strongest first."""
    ordered = sorted(features, key=lambda f: (-abs(f.points), f.name))
    return "; ".join(f"{f.note} ({f.points:+g})" for f in ordered) or "no shared feature"


def features_from_json(data: Sequence[Mapping[str, Any]]) -> list[Feature]:
    """Features as stored in ``incident_links.features`` back into records."""
    return [Feature(str(d["name"]), float(d["points"]), str(d["note"])) for d in data]


def report_label(report: StoredReport) -> str:
    """``"023#2 (es, AFP, 2025-02-08)"``: a report, its language, outlet and publication date."""
    parts = [p for p in (report.lang, report.outlet, report.published.isoformat() if report.published else None) if p]
    return f"{key_text(report.key)} ({', '.join(parts)})" if parts else key_text(report.key)


def founder_line(report: StoredReport) -> str:
    """Why the first report is in the incident: it is the first."""
    return f"{report_label(report)}: first report of the incident"


def joined_line(report: StoredReport, via: StoredReport, decision: Decision) -> str:
    """Why ``report`` joined: the report it matched best, the features, the score."""
    return (
        f"{report_label(report)} joined through {key_text(via.key)}: "
        f"{feature_text(decision.features)} — score {decision.score:g} ≥ {THRESHOLD:g}"
    )


def bridged_line(report: StoredReport) -> str:
    """A report in the incident with no scored link left inside it (should not happen)."""
    return f"{report_label(report)}: in the incident through reports since re-stored"


def decision_line(decision: Decision) -> str:
    """One scored pair in words: both keys, features and the decision."""
    return (
        f"{key_text(decision.a)} ~ {key_text(decision.b)}: {feature_text(decision.features)} — {decision.rule}"
    )

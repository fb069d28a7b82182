"""Measure the gazetteer on the dev gold places, and its load time and memory.

    .venv/bin/python bench/measure_places.py [--gold DIR] [--verbose]

For every gold event place string: is it resolved at all, and is the resolved
country the event's gold country — once with no hint and once with the gold
country as the hint. Load time and resident memory are measured in a fresh
subprocess so that nothing else imported here counts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from crimewire.gazetteer import load_gazetteer  # noqa: E402

_LOAD_PROBE = """
import resource, sys, time
sys.path.insert(0, {src!r})
t = time.perf_counter()
from crimewire.gazetteer import load_gazetteer
g = load_gazetteer()
elapsed = time.perf_counter() - t
rss = [l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{{elapsed:.2f}} {{int(rss) / 1024:.0f}} {{peak:.0f}}")
"""


def main() -> None:
    """Print resolution rates over the gold places and the gazetteer's load cost."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=Path("/work/shared/eval/dev/gold"))
    ap.add_argument("--verbose", action="store_true", help="list every gold place and its resolution")
    args = ap.parse_args()

    base = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource;print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    probe = subprocess.run(
        [sys.executable, "-c", _LOAD_PROBE.format(src=str(ROOT / "src"))],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, rss, peak = probe.stdout.split()
    print(
        f"load_gazetteer(): {seconds} s, resident {rss} MB (peak {peak} MB; "
        f"bare interpreter {float(base.stdout):.0f} MB)"
    )

    g = load_gazetteer()
    total = resolved = same_nohint = same_hint = 0
    for path in sorted(args.gold.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        lang = gold.get("lang", "en")
        for event in gold["events"]:
            for place in event.get("places") or []:
                total += 1
                plain = g.resolve(place, lang=lang)
                hinted = g.resolve(place, country_hint=event.get("country"), lang=lang)
                resolved += plain is not None
                same_nohint += plain is not None and plain.country == event.get("country")
                same_hint += hinted is not None and hinted.country == event.get("country")
                if args.verbose:
                    got = (
                        "-" if plain is None else f"{plain.kind} {plain.name} {plain.country} {plain.region}"
                    )
                    hint = "-" if hinted is None else f"{hinted.country} {hinted.region}"
                    print(f"  {path.stem} {event.get('country')} {place!r:32} -> {got:55} | hinted: {hint}")
    if not total:
        print("no gold places found")
        return
    print(f"gold place strings: {total}")
    print(f"resolved:                          {resolved / total:6.1%} ({resolved})")
    print(f"country = gold country, no hint:   {same_nohint / total:6.1%} ({same_nohint})")
    print(f"country = gold country, gold hint: {same_hint / total:6.1%} ({same_hint})")


if __name__ == "__main__":
    main()

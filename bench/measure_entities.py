"""Measure the entity finders on the dev set: organizations, agencies, nationalities.

    .venv/bin/python bench/measure_entities.py [--dev DIR] [--text raw|clean] [--verbose]

* organizations: article-level precision / recall / F1 of the canonical names found,
  compared like ``score.py`` does (gold aliases map to the gold name, then ``name_match``),
  plus the organization noise hits ``score.py`` would count;
* agencies: recall of the gold event agency strings among the names (or texts) found;
* nationalities: recall of the gold event nationality codes among the codes found, and
  how many distinct codes were found that no gold event lists.

``--text raw`` reads the article body as it is (after its date line); ``--text clean``
runs the project's cleaner first (as the pipeline does). Timing covers the four finders.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from crimewire.entities import (  # noqa: E402
    find_agencies,
    find_nationalities,
    find_organizations,
    find_persons,
)
from crimewire.kb import load_knowledge_base  # noqa: E402

_DATE_LINE = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}[ \t]*\n?")


def _score_module(dev: Path) -> ModuleType:
    """The shared scorer, imported from beside the dev set (it uses only the standard library)."""
    path = dev.parent / "score.py"
    spec = importlib.util.spec_from_file_location("crimewire_dev_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts(dev: Path, mode: str) -> dict[str, str]:
    """Article id -> text to search, raw (date line removed) or cleaned by crimewire.clean."""
    out: dict[str, str] = {}
    for path in sorted((dev / "articles").glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        if mode == "clean":
            from crimewire.clean import clean_article
            from crimewire.readers import read_file
            from crimewire.records import Article

            items = [a for a in read_file(path) if isinstance(a, Article)]
            if items:
                out[path.stem] = clean_article(items[0]).text
                continue
        out[path.stem] = _DATE_LINE.sub("", raw, count=1)
    return out


def main() -> None:
    """Print the figures (and, with --verbose, every miss and extra)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", type=Path, default=Path("/work/shared/eval/dev"))
    ap.add_argument("--text", choices=("raw", "clean"), default="raw")
    ap.add_argument("--lang", help="only articles in this language")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    sc = _score_module(args.dev)
    kb = load_knowledge_base()
    texts = _texts(args.dev, args.text)
    orgs = sc.Tally()
    noise_hits: list[str] = []
    ag_hit = ag_gold = nat_hit = nat_gold = nat_extra = discovered = 0
    elapsed = 0.0
    for gpath in sorted((args.dev / "gold").glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        gid, lang = gold["id"], gold["lang"]
        if args.lang and lang != args.lang:
            continue
        text = texts[gid]
        t0 = time.perf_counter()
        found_orgs = find_organizations(text, lang, kb)
        found_ag = find_agencies(text, lang, kb)
        found_nat = find_nationalities(text, lang, kb)
        find_persons(text, lang, kb=kb)
        elapsed += time.perf_counter() - t0

        # organizations, article level, as score.py compares them
        cmap = sc.canon_map(gold.get("organizations") or [])
        names = list(dict.fromkeys(o.name for o in found_orgs))
        discovered += len({o.name for o in found_orgs if not o.known})
        pred = sc.canon(names, cmap)
        gold_names = [o["name"] for o in gold.get("organizations") or []]
        tp, npred, ngold = sc.set_prf(pred, gold_names)
        orgs.add(tp, npred, ngold)
        noise = [sc.norm(n) for n in gold.get("noise") or [] if sc.norm(n)]
        legit = set(cmap) | {sc.norm(x) for e in gold["events"] for x in e.get("organizations") or []}
        for name in pred:
            k = sc.norm(name)
            if k and k not in legit and any(re.search(rf"\b{re.escape(k)}\b", n) for n in noise):
                noise_hits.append(f"{gid}: {name}")
        if args.verbose and (tp < npred or tp < ngold):
            print(f"{gid} orgs: found {pred} gold {gold_names}")
        for o in found_orgs:
            if args.verbose and o.parent:
                print(f"{gid}   parent: {o.name} -> {o.parent} ({o.rule})")

        # agencies: recall of gold strings
        gold_ag = sorted({a for e in gold["events"] for a in e.get("agencies") or []})
        seen = {a.name for a in found_ag} | {a.text for a in found_ag}
        for g in gold_ag:
            ag_gold += 1
            if any(sc.name_match(s, g) for s in seen):
                ag_hit += 1
            elif args.verbose:
                print(f"{gid} agency missed: {g!r} (found {sorted({a.name for a in found_ag})})")

        # nationalities: recall of gold codes
        gold_nat = {c for e in gold["events"] for c in e.get("nationalities") or []}
        codes = {n.country for n in found_nat}
        nat_gold += len(gold_nat)
        nat_hit += len(gold_nat & codes)
        nat_extra += len(codes - gold_nat)
        if args.verbose and (gold_nat - codes or codes - gold_nat):
            print(f"{gid} nationalities: found {sorted(codes)} gold {sorted(gold_nat)}")

    p, r, f = orgs.prf()
    n = len(texts) if not args.lang else sum(1 for _ in (args.dev / "gold").glob("*.json"))
    print(f"text: {args.text}  articles: {n}")
    print(
        f"organizations (article)  P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (pred {orgs.pred}, gold {orgs.gold}, "
        f"{discovered} discovered by pattern)"
    )
    print(f"organization noise hits: {len(noise_hits)}")
    for h in noise_hits:
        print(f"  {h}")
    ag_recall = ag_hit / ag_gold if ag_gold else 1.0
    nat_recall = nat_hit / nat_gold if nat_gold else 1.0
    print(f"agency recall            {ag_recall:.3f}  ({ag_hit}/{ag_gold} gold strings)")
    print(
        f"nationality recall       {nat_recall:.3f}  ({nat_hit}/{nat_gold} gold codes; "
        f"{nat_extra} codes found beyond gold)"
    )
    print(f"finders: {1000 * elapsed / max(n, 1):.1f} ms per article (all four, no spaCy)")


if __name__ == "__main__":
    main()

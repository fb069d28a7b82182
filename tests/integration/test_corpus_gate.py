"""Corpus gate: the independent hand-annotated corpora in `tests/data/corpus/` and
`tests/data/corpus2/` scored by the project's scorer (`../shared/eval/score.py`), to check that
extraction generalizes beyond the dev set.

* every article has a gold file whose evidence and noise strings are verbatim substrings of it;
* the events F1 over each corpus is at or above the pinned figure in its `BASELINE` file;
* nothing is taken from page clutter (noise hits == 0).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crimewire.contract import result_to_dict
from crimewire.pipeline import load_resources, process_articles
from crimewire.readers import iter_articles
from crimewire.records import Article

REPO = Path(__file__).resolve().parents[2]
# (corpus folder, fewest articles it must have)
CORPORA = [(REPO / "tests" / "data" / "corpus", 60), (REPO / "tests" / "data" / "corpus2", 40)]
corpora = pytest.mark.parametrize(("corpus", "at_least"), CORPORA, ids=[c.name for c, _ in CORPORA])
# The scorer lives in shared/ beside the repository (a CI clone has a copy there too).
SCORERS = [REPO.parent / "shared" / "eval" / "score.py", Path("/work/shared/eval/score.py")]
SCORER = next((p for p in SCORERS if p.exists()), None)


def _score(gold: Path, pred: Path) -> tuple[float, int, str]:
    """Run the scorer on `pred`; return the headline events F1, the noise hits and its output."""
    assert SCORER is not None
    proc = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred)],
                          capture_output=True, text=True, check=True)
    f1 = re.findall(r"events F1 ([0-9.]+)", proc.stdout)
    noise = re.search(r"noise hits \(must be 0\): (\d+)", proc.stdout)
    assert f1 and noise, proc.stdout
    return float(f1[-1]), int(noise.group(1)), proc.stdout


@corpora
def test_gold_is_well_formed(corpus: Path, at_least: int) -> None:
    articles, golds = corpus / "articles", corpus / "gold"
    stems = sorted(p.stem for p in articles.glob("*.txt"))
    assert len(stems) >= at_least
    assert stems == sorted(p.stem for p in golds.glob("*.json"))
    for stem in stems:
        text = (articles / f"{stem}.txt").read_text(encoding="utf-8")
        gold = json.loads((golds / f"{stem}.json").read_text(encoding="utf-8"))
        assert gold["id"] == stem and gold["lang"] in ("en", "es")
        assert text.startswith(f"date {gold['date']}\n\n"), stem
        for item in [e["evidence"] for e in gold["events"]] + gold["noise"]:
            assert item in text, (stem, item[:60])


@corpora
@pytest.mark.skipif(SCORER is None, reason="shared/eval/score.py is not present")
def test_corpus_at_or_above_baseline(corpus: Path, at_least: int, tmp_path: Path) -> None:
    articles = [a for a in iter_articles([corpus / "articles"]) if isinstance(a, Article)]
    assert len(articles) == len(list((corpus / "articles").glob("*.txt"))) >= at_least
    pred = tmp_path / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for result in process_articles(articles, load_resources()):
            f.write(json.dumps(result_to_dict(result), ensure_ascii=False) + "\n")
    baseline = float((corpus / "BASELINE").read_text(encoding="utf-8").split()[0])
    f1, noise, out = _score(corpus / "gold", pred)
    assert noise == 0, out
    assert f1 >= baseline, f"corpus events F1 {f1:.3f} fell below the pinned baseline {baseline:.3f}\n{out}"

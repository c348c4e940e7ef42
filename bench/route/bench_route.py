#!/usr/bin/env python3
"""Benchmarks `orchestrator route`: index build time, query latency (p50/p99) and memory at
100, 1,000 and 10,000 tools, and accuracy of plain BM25 against the full method on the
development sets. Writes a Markdown table to stdout.

    bench/route/bench_route.py --binary build/cli/orchestrator > bench/results/route.md

Larger catalogs are made from the 727-tool development catalog by adding variants of each
tool (a numbered server name and a few words of the description rotated), so the text
statistics stay realistic. Latency is measured by `route eval` around the ranking alone;
build time and memory are of a whole `orchestrator route` process (`/usr/bin/time`),
cold (no cache: JSON parse + analysis + index) and warm (index read from the cache).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "route" / "data"


def scaled_catalog(base: list[dict], size: int) -> list[dict]:
    out = []
    copy = 0
    while len(out) < size:
        for tool in base:
            if len(out) >= size:
                break
            t = dict(tool)
            if copy:
                words = t.get("description", "").split()
                k = copy % max(1, len(words))
                t["description"] = " ".join(words[k:] + words[:k])
                t["server"] = f"{t['server']}-{copy}"
            out.append(t)
        copy += 1
    return out


def run(binary: str, args: list[str], env: dict, cwd: Path) -> tuple[float, int, str, float]:
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", binary, *args], env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([0-9.]+)", proc.stderr).group(1)) for kind in ("User", "System"))
    return wall, rss, proc.stdout, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    binary = str(Path(args.binary).resolve())
    base = json.loads((DATA / "azure-livemcp-tools.json").read_text())
    queries = DATA / "azure-queries.json"
    lines = ["# `orchestrator route` benchmarks", "",
             f"Machine: {os.cpu_count()} CPUs shared with other jobs; load average {os.getloadavg()[0]:.1f} when the run began; one run each.", "",
             "## Scale", "",
             "Wall-clock times on a loaded machine include waiting for a CPU; the CPU time (user + system",
             "of the whole process, the ranking thread's for a query) is the steadier figure.", "",
             "| tools | cold run: wall / CPU (parse + index + 1 query) | warm run: wall / CPU (cached index) | max RSS cold | p50 query: wall / CPU | p99 query: wall / CPU |",
             "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        for size in (100, 1000, 10000):
            catalog = tmp_path / f"tools-{size}.json"
            catalog.write_text(json.dumps(scaled_catalog(base, size)))
            env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
            env["ORCH_STORE_DIR"] = str(tmp_path / f"state-{size}")
            cold, rss, _, cold_cpu = run(binary, ["route", "list key vault secrets", "--tools", str(catalog)], env, tmp_path)
            warm, _, _, warm_cpu = run(binary, ["route", "list key vault secrets", "--tools", str(catalog)], env, tmp_path)
            _, _, out, _ = run(binary, ["route", "eval", str(queries), "--tools", str(catalog), "--json"], env, tmp_path)
            figures = json.loads(out)
            lines.append(f"| {size:,} | {cold * 1000:.0f} / {cold_cpu * 1000:.0f} ms | {warm * 1000:.0f} / {warm_cpu * 1000:.0f} ms | {rss / 1024:.1f} MiB | "
                         f"{figures['p50_ms']:.3f} / {figures['cpu_p50_ms']:.3f} ms | {figures['p99_ms']:.3f} / {figures['cpu_p99_ms']:.3f} ms |")
        lines += ["", "## Accuracy on the development sets (no corrections, default weights)", "",
                  "| set | strategy | top-1 | top-5 recall | MRR |", "| --- | --- | ---: | ---: | ---: |"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
        for name, tools, qs in (("Azure (300 requests, 727 tools)", "azure-livemcp-tools.json", "azure-queries.json"),
                                ("MetaTool (995 requests, 199 tools)", "metatool-tools.json", "metatool-queries.json")):
            for strategy in ("bm25", "bm25f", "lexical", "full"):
                _, _, out, _ = run(binary, ["route", "eval", str(DATA / qs), "--tools", str(DATA / tools), "--json",
                                         "--no-state", "--strategy", strategy], env, tmp_path)
                f = json.loads(out)
                lines.append(f"| {name} | {strategy} | {f['top1']:.3f} | {f['recall5']:.3f} | {f['mrr']:.3f} |")
        lines += learning_and_tuning(binary, tmp_path)
    print("\n".join(lines))


def top1(binary: str, queries: Path, tools: Path, env: dict, cwd: Path, *extra: str) -> float:
    _, _, out, _ = run(binary, ["route", "eval", str(queries), "--tools", str(tools), "--json", *extra], env, cwd)
    return json.loads(out)["top1"]


def learning_and_tuning(binary: str, tmp_path: Path) -> list[str]:
    """Corrections of one half evaluated on the other half, and `route tune` on one half."""
    sets = (("Azure", "azure-livemcp-tools.json", "azure"), ("MetaTool", "metatool-tools.json", "metatool"))
    lines = ["", "## Learning from corrections (`route feedback --from` one half, `route eval` the other half)", "",
             "The halves are `tests/route/data/*-queries-{train,heldout}.json` (split by a hash of the request id).", "",
             "| set | held-out top-1 without corrections | with the other half's corrections | corrected requests themselves |",
             "| --- | ---: | ---: | ---: |"]
    for name, tools, prefix in sets:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
        env["ORCH_STORE_DIR"] = str(tmp_path / f"learn-{prefix}")
        train, held = DATA / f"{prefix}-queries-train.json", DATA / f"{prefix}-queries-heldout.json"
        before = top1(binary, held, DATA / tools, env, tmp_path)
        subprocess.run([binary, "route", "feedback", "--from", str(train), "--tools", str(DATA / tools)], env=env,
                       cwd=tmp_path, check=True, capture_output=True)
        after = top1(binary, held, DATA / tools, env, tmp_path)
        themselves = top1(binary, train, DATA / tools, env, tmp_path)
        lines.append(f"| {name} | {before:.3f} | {after:.3f} | {themselves:.3f} |")
    lines += ["", "## Tuning (`route tune --dry-run`: weights fitted on one half, the other half held out)", "",
              "| set | part | requests | top-1 before → after |", "| --- | --- | ---: | --- |"]
    for name, tools, prefix in sets:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
        _, _, out, _ = run(binary, ["route", "tune", str(DATA / f"{prefix}-queries.json"), "--tools", str(DATA / tools),
                                    "--no-state", "--dry-run"], env, tmp_path)
        for line in out.splitlines():
            m = re.match(r"(training|held out)\s+(\d+)\s+top-1 ([0-9.]+) → ([0-9.]+)", line)
            if m:
                lines.append(f"| {name} | {m.group(1)} | {m.group(2)} | {m.group(3)} → {m.group(4)} |")
    return lines


if __name__ == "__main__":
    main()

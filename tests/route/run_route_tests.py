#!/usr/bin/env python3
"""Routing tests that need more than one command or compare numbers.

    run_route_tests.py --binary ORCHESTRATOR CASE

Every case runs in a fresh temporary directory with ORCH_STORE_DIR pointing into it, so
no test sees another's corrections, cache or weights. Accuracy floors sit a little under
the figures the method reaches today (bench/results/route.md): they catch regressions,
they are not targets.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
AZURE_TOOLS = DATA / "azure-livemcp-tools.json"
AZURE_QUERIES = DATA / "azure-queries.json"
META_TOOLS = DATA / "metatool-tools.json"
META_QUERIES = DATA / "metatool-queries.json"


class Runner:
    def __init__(self, binary: str, tmp: Path):
        self.binary = binary
        self.tmp = tmp
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
        self.env.update({"ORCH_STORE_DIR": str(tmp / "state"), "NO_COLOR": "1", "HOME": str(tmp)})

    def run(self, *args: str, stdin: bytes | None = None, expect: int | None = 0) -> subprocess.CompletedProcess:
        proc = subprocess.run([self.binary, *args], cwd=self.tmp, env=self.env, input=stdin, capture_output=True,
                              timeout=240)
        if expect is not None and proc.returncode != expect:
            fail(f"`orchestrator {' '.join(args)[:200]}` exited {proc.returncode}, expected {expect}\n"
                 f"stdout: {proc.stdout.decode(errors='replace')[:2000]}\n"
                 f"stderr: {proc.stderr.decode(errors='replace')[:2000]}")
        return proc

    def eval(self, queries: Path, tools: Path, *extra: str) -> dict:
        proc = self.run("route", "eval", str(queries), "--tools", str(tools), "--json", *extra)
        return json.loads(proc.stdout)


def fail(message: str) -> None:
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition: bool, message: str) -> None:
    if not condition:
        fail(message)


def case_eval(r: Runner, queries: Path, tools: Path, floor: float) -> None:
    plain = r.eval(queries, tools, "--strategy", "bm25", "--no-state")
    full = r.eval(queries, tools, "--no-state")
    print(f"bm25 top-1 {plain['top1']:.3f}  full top-1 {full['top1']:.3f}  MRR {full['mrr']:.3f}  "
          f"recall@5 {full['recall5']:.3f}")
    check(full["queries"] == len(json.loads(queries.read_text())), "eval did not rank every request")
    check(full["top1"] >= floor, f"top-1 {full['top1']:.3f} fell below {floor}")
    check(full["top1"] > plain["top1"] + 0.02, "the full method is no better than plain BM25")
    check(full["mrr"] >= full["top1"] and full["recall5"] >= full["top1"], "metrics are inconsistent")


def case_feedback_learning(r: Runner) -> None:
    # On both sets: corrections of one half may only help a little on the other half's new
    # requests, but must never hurt them.
    for name, tools in (("azure", AZURE_TOOLS), ("metatool", META_TOOLS)):
        held = DATA / f"{name}-queries-heldout.json"
        before = r.eval(held, tools)
        r.run("route", "feedback", "--from", str(DATA / f"{name}-queries-train.json"), "--tools", str(tools))
        after = r.eval(held, tools)
        print(f"{name}: held-out top-1 before {before['top1']:.3f}, after learning the other half {after['top1']:.3f}")
        check(after["top1"] >= before["top1"], f"{name}: corrections on one half hurt the other half")
        r.run("route", "feedback", "--clear")

    held = DATA / "metatool-queries-heldout.json"
    before = r.eval(held, META_TOOLS)
    r.run("route", "feedback", "--from", str(DATA / "metatool-queries-train.json"), "--tools", str(META_TOOLS))
    relearned = r.eval(DATA / "metatool-queries-train.json", META_TOOLS)
    print(f"top-1 on the corrected requests themselves {relearned['top1']:.3f}")
    check(relearned["top1"] > 0.9, "the corrected requests themselves are not routed as corrected")
    ignored = r.eval(held, META_TOOLS, "--no-feedback")
    check(abs(ignored["top1"] - before["top1"]) < 1e-9, "--no-feedback still used the corrections")

    # One correction moves the identical request and a paraphrase, and leaves others alone.
    tools = str(META_TOOLS)
    query = "I want to hear the news as a podcast"
    top = lambda q: json.loads(r.run("route", q, "--tools", tools, "--json", "--top", "1", expect=None).stdout)
    r.run("route", "feedback", "--clear")
    first = top(query)
    target = "metatool/PodcastTool" if not first or first[0]["tool"] != "metatool/PodcastTool" else "metatool/NewsTool"
    r.run("route", "feedback", query, "--chose", target, "--tools", tools)
    check(top(query)[0]["tool"] == target, "the corrected request did not move")
    check(top("I would like to hear today's news as a podcast please")[0]["tool"] == target,
          "a paraphrase of the corrected request did not move")
    check(top("roll a d20 dice for my game")[0]["tool"] != target, "an unrelated request moved")
    proc = r.run("route", "feedback", query, "--chose", "metatool/NoSuchTool", "--tools", tools, expect=2)
    check(b"no tool `metatool/NoSuchTool` in the catalog" in proc.stderr, "unknown --chose tool not reported")


def case_tune(r: Runner) -> None:
    # A third of the requests and one pass of the search keep the test fast; the weights
    # must still hold up on the whole set.
    subset = r.tmp / "azure-subset.json"
    subset.write_text(json.dumps(json.loads(AZURE_QUERIES.read_text())[::3]))
    proc = r.run("route", "tune", str(subset), "--tools", str(AZURE_TOOLS), "--rounds", "1")
    out = proc.stdout.decode()
    print(out)
    check("held out" in out and "saved to" in out, "tune did not report before/after and save")
    saved = r.eval(AZURE_QUERIES, AZURE_TOOLS)
    defaults = r.eval(AZURE_QUERIES, AZURE_TOOLS, "--no-state")
    check(saved["top1"] >= defaults["top1"] - 0.02, "tuned weights are worse than the defaults on the whole set")


def case_bad_inputs(r: Runner) -> None:
    tools = str(AZURE_TOOLS)
    proc = r.run("route", "-", "--tools", tools, stdin=b"a" * (1 << 20), expect=2)
    check(b"the request is 1048576 bytes long" in proc.stderr or b"bytes long; the limit is 65536" in proc.stderr,
          "a 1 MB request was not refused clearly")
    proc = r.run("route", "-", "--tools", tools, stdin=b"list \xff\xfe files", expect=2)
    check(b"not valid UTF-8 (byte 0xff at offset 5)" in proc.stderr, "non-UTF-8 request not reported")
    proc = r.run("route", "   ", "--tools", tools, expect=2)
    check(b"the request is empty" in proc.stderr, "empty request not reported")

    dup = r.tmp / "dup.json"
    dup.write_text(json.dumps([{"server": "a", "name": "x"}, {"server": "a", "name": "x"}]))
    proc = r.run("route", "list things", "--tools", str(dup), expect=2)
    check(b"tool `a/x` appears twice (entries 0 and 1)" in proc.stderr, "duplicate tool not reported")
    empty = r.tmp / "empty.json"
    empty.write_text(json.dumps([{"server": "a", "name": ""}]))
    proc = r.run("route", "list things", "--tools", str(empty), expect=2)
    check(b"entry 0 has an empty `name`" in proc.stderr, "empty tool name not reported")
    broken = r.tmp / "broken.json"
    broken.write_text("[{\"server\": ")
    r.run("route", "list things", "--tools", str(broken), expect=2)

    # A corrupt feedback database: reported, rebuilt, and routing still works.
    state = r.tmp / "state"
    state.mkdir(exist_ok=True)
    (state / "route.db").write_bytes(b"garbage " * 1000)
    (state / "keep.txt").write_text("other data")
    proc = r.run("route", "list my key vault secrets", "--tools", tools)
    check(b"route.db` was unusable" in proc.stderr and b"moved it to" in proc.stderr, "corrupt db not reported")
    check((state / "keep.txt").read_text() == "other data", "other state was lost")
    check(any(p.name.startswith("route.db.corrupt-") for p in state.iterdir()), "corrupt db not kept aside")
    proc = r.run("route", "list my key vault secrets", "--tools", tools)
    check(b"unusable" not in proc.stderr, "the rebuilt db is reported again")

    # Below the threshold: exit 1, nothing on stdout, the closest tools on stderr.
    proc = r.run("route", "zzkq vexlor blimp", "--tools", tools, expect=1)
    check(proc.stdout == b"" and b"no tool matches this request confidently" in proc.stderr, "low confidence")
    proc = r.run("route", "tune", str(AZURE_QUERIES), "--tools", tools, "--rounds", "0", expect=2)
    check(b"`--rounds` must be at least 1, not 0" in proc.stderr, "a tune without rounds not refused clearly")
    proc = r.run("route", "list", "--tools", tools, "--strategy", "nonsense", expect=2)
    check(b"unknown strategy `nonsense`" in proc.stderr, "unknown strategy not reported")


def case_follow_up(r: Runner) -> None:
    catalog = r.tmp / "tools.json"
    catalog.write_text(json.dumps([
        {"server": "weather", "name": "get_forecast", "description": "Weather forecast for a city"},
        {"server": "maps", "name": "search_places", "description": "Find places and addresses on a map"},
        {"server": "mail", "name": "send_email", "description": "Send an email"},
    ]))
    ctx = str(r.tmp / "ctx.json")
    first = json.loads(r.run("route", "what is the weather forecast in Berlin", "--tools", str(catalog), "--json",
                             "--context", ctx).stdout)
    check(first[0]["tool"] == "weather/get_forecast", "first request misrouted")
    proc = r.run("route", "now do the same for Paris", "--tools", str(catalog), "--context", ctx)
    check(proc.stdout.decode().startswith("weather/get_forecast"), "the follow-up lost the previous tool")
    check(b'read as "what is the weather forecast in Paris"' in proc.stderr, "entities were not carried over")
    saved = json.loads(Path(ctx).read_text())
    check(saved["entities"] == ["Paris"], f"context file has {saved['entities']}")


def case_index_cache(r: Runner) -> None:
    catalog = r.tmp / "tools.json"
    tools = json.loads(AZURE_TOOLS.read_text())
    catalog.write_text(json.dumps(tools))
    r.run("route", "list key vault secrets", "--tools", str(catalog))
    cache = sorted((r.tmp / "state").glob("route-index-*.bin"))
    check(len(cache) == 1, "no index cache written")
    stamp = cache[0].stat().st_mtime_ns
    r.run("route", "list key vault secrets", "--tools", str(catalog))
    check(cache[0].stat().st_mtime_ns == stamp, "the index was rebuilt although no tool changed")
    tools[0]["description"] += " Changed."
    catalog.write_text(json.dumps(tools))
    r.run("route", "list key vault secrets", "--tools", str(catalog))
    check(cache[0].stat().st_mtime_ns != stamp, "the index was not rebuilt after a tool changed")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("case")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="orch-route-") as tmp:
        r = Runner(args.binary, Path(tmp))
        if args.case == "eval_azure":
            case_eval(r, AZURE_QUERIES, AZURE_TOOLS, 0.80)
        elif args.case == "eval_metatool":
            case_eval(r, META_QUERIES, META_TOOLS, 0.50)
        elif args.case == "feedback_learning":
            case_feedback_learning(r)
        elif args.case == "tune_saves_weights":
            case_tune(r)
        elif args.case == "bad_inputs":
            case_bad_inputs(r)
        elif args.case == "follow_up":
            case_follow_up(r)
        elif args.case == "index_cache":
            case_index_cache(r)
        else:
            fail(f"unknown case {args.case}")
    print("ok")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""JIT benchmarks (issue 8 item 5): the interpreter and `run --jit` in the same run; writes
bench/results/jit.md.

(a) numeric.orch: a statistics pass over range(0, n), n = 10,000,000, ints only. The JIT is
    timed cold (a fresh, empty ORCH_STORE_DIR, so compile time is included) and from its
    object cache. Target: cold JIT >= 5x faster than the interpreter.
(b) bench/interp/transform.orch over 500,000 records from bench/interp/gen_records.py.
    Target: JIT >= 1.5x the interpreter.
(c) compile latency from `--jit-stats` (lower + codegen) for a 1,000-step workflow written by
    gen_steps.py and for the largest file of examples/, cold (fresh store) and from the cache
    (the second run on the same store). Target: < 200 ms cold, < 10 ms cached.
Runs alternate between the interpreter and the JIT so both see the same machine load; wall time
is the best of --runs, peak RSS the largest, from /usr/bin/time. Every JIT run's stdout must be
identical to the interpreter's, or the script stops.

usage: bench/jit/run.py [BUILD_DIR] [--runs N] [--binary ORCHESTRATOR]
         (default BUILD_DIR: build; builds `orchestrator` there unless --binary is given)
       bench/jit/run.py --smoke ORCHESTRATOR
         times nothing and writes nothing: numeric.orch with n = 1,000, transform.orch on 2,000
         records and a 200-step workflow from gen_steps.py run with and without --jit; stdout and exit code
         must be identical and `--jit-stats` must print its line (the test suite's guard that
         the benchmark inputs keep working under both engines).
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
INTERP = ROOT / "bench" / "interp"
STATS = re.compile(r"^jit: (\d+) of (\d+) workflows native(?:, (\d+) of (\d+) blocks)?; lower ([0-9.]+) ms, "
                   r"codegen ([0-9.]+) ms, (?:CPU ([0-9.]+) ms, )?cache (hit|miss|off)(?: \((.*)\))?$", re.M)
JIT = ["--jit", "--jit-stats"]


@dataclass
class Stats:
    native: int
    total: int
    blocks: str  # "N of M blocks", or "" when the line does not say
    lower_ms: float
    codegen_ms: float
    cache: str
    cache_note: str
    # CPU time of lowering and codegen: on a loaded machine the wall times include waiting.
    cpu_ms: float = 0.0

    @property
    def compile_ms(self) -> float:
        return self.lower_ms + self.codegen_ms


@dataclass
class Run:
    wall: float
    rss_mb: float
    stdout: str
    stderr: str
    stats: Stats | None


def parse_stats(stderr: str) -> Stats | None:
    found = STATS.findall(stderr)
    if len(found) != 1:
        return None
    native, total, native_blocks, total_blocks, lower, codegen, cpu, cache, note = found[0]
    blocks = f"{native_blocks} of {total_blocks} blocks" if total_blocks else ""
    return Stats(int(native), int(total), blocks, float(lower), float(codegen), cache, note, float(cpu or 0))


def measure(cmd: list, cwd: Path, env: dict[str, str]) -> Run:
    """One run under /usr/bin/time: wall seconds, peak RSS, output; stops the script on failure."""
    with tempfile.NamedTemporaryFile(prefix="orch-bench-time-") as rss_file:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name, *map(str, cmd)], cwd=cwd, env=env,
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
        rss_text = Path(rss_file.name).read_text().strip().splitlines()
    if done.returncode != 0:
        sys.exit(f"failed (exit {done.returncode}): {' '.join(map(str, cmd))}\n{done.stderr}")
    stats = parse_stats(done.stderr)
    if "--jit-stats" in map(str, cmd) and stats is None:
        sys.exit(f"no `jit: …` line from --jit-stats: {' '.join(map(str, cmd))}\n{done.stderr}")
    return Run(wall, int(rss_text[-1]) / 1024, done.stdout, done.stderr, stats)


def base_env(work: Path, store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH")}
    env.update({"NO_COLOR": "1", "TZ": "UTC", "ORCH_STORE_DIR": str(store),
                "ORCH_NODE_MODULES": str(ROOT / "tests" / "node_modules"), "ORCH_EXAMPLE_DIR": str(work)})
    return env


def same_output(label: str, interp: Run, jit: Run) -> None:
    if interp.stdout != jit.stdout:
        sys.exit(f"{label}: the JIT's stdout differs from the interpreter's\n--- interpreter\n{interp.stdout}"
                 f"--- jit\n{jit.stdout}")


def largest_example() -> Path:
    return max(sorted((ROOT / "examples").glob("*.orch")), key=lambda p: p.stat().st_size)


# ---------------------------------------------------------------------------------------------
# --smoke


def require_jit(orch: Path) -> None:
    version = subprocess.run([orch, "--version"], capture_output=True, text=True).stdout
    if not re.search(r"^jit: LLVM", version, re.M):
        sys.exit(f"{orch} has no JIT (configure with LLVM 14, ORCH_JIT=ON):\n{version}")


def smoke(orch: Path) -> None:
    require_jit(orch)
    work = Path(tempfile.mkdtemp(prefix="orch-bench-jit-smoke-"))
    try:
        shutil.copy(HERE / "numeric.orch", work)
        shutil.copy(INTERP / "transform.orch", work)
        subprocess.run([sys.executable, INTERP / "gen_records.py", "2000", work / "records.json"], check=True)
        # 200 steps hold every kind of unit gen_steps.py writes and compile in a fraction of the time.
        subprocess.run([sys.executable, HERE / "gen_steps.py", "--steps", "200", work / "steps.orch"], check=True)
        cases = [("numeric.orch", ["--arg", "n=1000"]), ("transform.orch", []), ("steps.orch", [])]
        for name, args in cases:
            outcomes = []
            for flags in ([], ["--jit"], JIT):
                env = base_env(work, work / "store")
                done = subprocess.run([orch, "run", *flags, name, "--json", "--progress", "none", *args], cwd=work,
                                      env=env, capture_output=True, text=True)
                outcomes.append(done)
            interp, jit, with_stats = outcomes
            if interp.returncode != 0 or interp.stderr:
                sys.exit(f"{name}: the interpreter run is not clean (exit {interp.returncode})\n{interp.stderr}")
            if (jit.returncode, jit.stdout, jit.stderr) != (interp.returncode, interp.stdout, interp.stderr):
                sys.exit(f"{name}: --jit differs from the interpreter (exit {jit.returncode})\n--- interpreter\n"
                         f"{interp.stdout}--- jit\n{jit.stdout}--- jit stderr\n{jit.stderr}")
            stats = parse_stats(with_stats.stderr)
            if with_stats.stdout != interp.stdout or stats is None:
                sys.exit(f"{name}: --jit-stats printed no single well-formed `jit:` line or changed stdout\n"
                         f"{with_stats.stderr}")
            print(f"ok: {name} gives the interpreter's output under --jit ({stats.native} of {stats.total} "
                  f"workflows native{', ' + stats.blocks if stats.blocks else ''}, cache {stats.cache})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The benchmark


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def load() -> str:
    return "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


class Bench:
    def __init__(self, orch: Path, runs: int):
        self.orch = orch
        self.runs = runs
        self.work = Path(tempfile.mkdtemp(prefix="orch-bench-jit-"))
        self.stores = 0

    def fresh_store(self) -> Path:
        self.stores += 1
        return self.work / f"store-{self.stores}"

    def interp_and_jit(self, label: str, args: list[str], cwd: Path, env_of) -> tuple[list[Run], list[Run], list[Run]]:
        """`runs` rounds of: interpreter, JIT on a fresh store (cold), JIT again (cached)."""
        interp, cold, cached = [], [], []
        for _ in range(self.runs):
            store = self.fresh_store()
            interp.append(measure([self.orch, *args], cwd, env_of(store)))
            cold.append(measure([self.orch, args[0], *JIT, *args[1:]], cwd, env_of(store)))
            cached.append(measure([self.orch, args[0], *JIT, *args[1:]], cwd, env_of(store)))
            for run in (cold[-1], cached[-1]):
                same_output(label, interp[-1], run)
        return interp, cold, cached

    @staticmethod
    def row(name: str, runs: list[Run]) -> str:
        walls = [r.wall for r in runs]
        return (f"| {name} | {ms(min(walls))} | {ms(statistics.median(walls))} | "
                f"{max(r.rss_mb for r in runs):.0f} MB |")

    @staticmethod
    def stats_note(runs: list[Run]) -> str:
        s = min((r.stats for r in runs), key=lambda s: s.compile_ms)
        return (f"{s.native} of {s.total} workflows native{', ' + s.blocks if s.blocks else ''}; lower "
                f"{s.lower_ms:.1f} ms + codegen {s.codegen_ms:.1f} ms (cache {s.cache}"
                f"{', ' + s.cache_note if s.cache_note else ''})")

    def numeric(self, n: int) -> list[str]:
        shutil.copy(HERE / "numeric.orch", self.work)
        (self.work / "range_only.orch").write_text(
            "# range(0, n) alone: the list the loop of numeric.orch walks.\n"
            "workflow main(n: int = 10000000) {\n  return len(range(0, n))\n}\n")
        env_of = lambda store: base_env(self.work, store)  # noqa: E731
        before = load()
        interp, cold, cached = self.interp_and_jit(
            "numeric.orch", ["run", "numeric.orch", "--json", "--progress", "none", "--arg", f"n={n}"], self.work, env_of)
        r_interp, r_cold, _ = self.interp_and_jit(
            "range_only.orch", ["run", "range_only.orch", "--arg", f"n={n}"], self.work, env_of)
        best_i, best_c, best_h = (min(r.wall for r in runs) for runs in (interp, cold, cached))
        ratio = best_i / best_c
        return ["## (a) Numeric loop: numeric.orch", "",
                f"A statistics pass over `range(0, {n:,})`: count, sum, sum of squares modulo a prime, min and "
                "max (with their positions) of a multiplicative hash, counts by remainder class, runs of bit 16 of the hash; ints "
                f"and bools only, no tool call. Best and median wall time of {self.runs} rounds (interpreter, "
                "JIT on a fresh store, JIT again on that store), largest peak RSS. Load average "
                f"(1/5/15 min) before: {before}, after: {load()}.", "",
                "| engine | best wall | median wall | peak RSS |", "| --- | --- | --- | --- |",
                self.row("interpreter", interp),
                self.row("`--jit`, cold (compile included)", cold),
                self.row("`--jit`, from the object cache", cached),
                self.row("interpreter, `len(range(0, n))` alone", r_interp),
                self.row("`--jit`, `len(range(0, n))` alone, cold", r_cold), "",
                f"JIT: {self.stats_note(cold)} cold; {self.stats_note(cached)} cached.", "",
                f"**Speed-up including compile time: {ratio:.1f}×** (target ≥ 5×: {verdict(ratio >= 5)}); "
                f"from the cache {best_i / best_h:.1f}×. Outputs identical: yes.", ""]

    def transform(self, records: int) -> list[str]:
        shutil.copy(INTERP / "transform.orch", self.work)
        data = self.work / "records.json"
        subprocess.run([sys.executable, INTERP / "gen_records.py", str(records), data], check=True)
        size_mb = data.stat().st_size / 1e6
        env_of = lambda store: base_env(self.work, store)  # noqa: E731
        before = load()
        interp, cold, cached = self.interp_and_jit(
            "transform.orch", ["run", "transform.orch", "--json", "--progress", "none"], self.work, env_of)
        # The part no JIT of this program can speed up: reading and parsing the file, the same
        # runtime code under both engines. Its share bounds any engine's speed-up (Amdahl).
        (self.work / "parse_only.orch").write_text(
            "# transform.orch's first step alone: read and parse the records.\nuse std\n"
            "workflow main(path: string = \"records.json\") {\n"
            "  return len(from_json(std.read_file(path: path).text))\n}\n")
        parse = [measure([self.orch, "run", "parse_only.orch"], self.work, env_of(self.fresh_store()))
                 for _ in range(self.runs)]
        best_i, best_c = min(r.wall for r in interp), min(r.wall for r in cold)
        best_p = min(r.wall for r in parse)
        ratio = best_i / best_c
        data.unlink()
        return ["## (b) Record transform: bench/interp/transform.orch", "",
                f"{records:,} records ({size_mb:.1f} MB) from bench/interp/gen_records.py: parse, filter, map, "
                f"group, sum (most of the time is JSON parsing and the collection built-ins, which both engines "
                f"share). Same rounds as (a). Load average before: {before}, after: {load()}.", "",
                "| engine | best wall | median wall | peak RSS |", "| --- | --- | --- | --- |",
                self.row("interpreter", interp),
                self.row("`--jit`, cold (compile included)", cold),
                self.row("`--jit`, from the object cache", cached),
                self.row("read and parse alone (`len(from_json(…))`, interpreter)", parse), "",
                f"JIT: {self.stats_note(cold)} cold.", "",
                f"**Speed-up: {ratio:.2f}×** (target ≥ 1.5×: {verdict(ratio >= 1.5)}). Outputs identical: yes.", "",
                f"Reading and parsing the file alone takes {ms(best_p)} of the interpreter's {ms(best_i)} "
                f"({100 * best_p / best_i:.0f}%); that part runs the same runtime code under both engines, so even a "
                f"JIT that made everything after it free would reach at most {best_i / best_p:.2f}×.", ""]

    def latency(self) -> list[str]:
        steps = self.work / "steps.orch"
        subprocess.run([sys.executable, HERE / "gen_steps.py", steps], check=True)
        example = largest_example()
        config = ROOT / "tests" / "examples" / "orchestrator.yaml"
        before = load()
        table = ["| program | cold: lower + codegen (CPU) | cached: lower + load (CPU) | cold process wall | "
                 "cached process wall | interpreter process wall |", "| --- | --- | --- | --- | --- | --- |"]
        verdicts = []

        def fresh_examples() -> Path:
            # Examples write files (server-memory's memory.jsonl): every run gets its own copy.
            copy = self.fresh_store().with_name(f"examples-{self.stores}")
            shutil.copytree(ROOT / "examples", copy)
            return copy

        programs = [
            ("1,000-step workflow (gen_steps.py)", [], ["run", "steps.orch", "--progress", "none"],
             lambda: self.work),
            # The example needs its npm servers, as in tests/examples: the global --config goes first.
            (f"examples/{example.name} ({example.stat().st_size:,} bytes, the largest)", ["--config", str(config)],
             ["run", example.name, "--progress", "none"], fresh_examples)]
        for label, prefix, args, workdir in programs:
            interp, cold, cached = [], [], []
            for _ in range(self.runs):
                store = self.fresh_store()
                for runs, flags in ((interp, []), (cold, JIT), (cached, JIT)):
                    cwd = workdir()
                    runs.append(measure([self.orch, *prefix, args[0], *flags, *args[1:]], cwd, base_env(cwd, store)))
                same_output(label, interp[-1], cold[-1])
                same_output(label, interp[-1], cached[-1])
            caches = {r.stats.cache for r in cold}, {r.stats.cache for r in cached}
            if caches != ({"miss"}, {"hit"}):
                sys.exit(f"{label}: expected cache miss on a fresh store and hit on the second run, got "
                         f"{caches[0]} then {caches[1]}")
            c_best = min(r.stats.compile_ms for r in cold)
            h_best = min(r.stats.compile_ms for r in cached)
            c_med = statistics.median(r.stats.compile_ms for r in cold)
            h_med = statistics.median(r.stats.compile_ms for r in cached)
            c_cpu = min(r.stats.cpu_ms for r in cold)
            h_cpu = min(r.stats.cpu_ms for r in cached)
            s = cold[0].stats
            table.append(f"| {label}; {s.native} of {s.total} workflows native"
                         f"{', ' + s.blocks if s.blocks else ''} | {c_best:.1f} ms (median "
                         f"{c_med:.1f}; CPU {c_cpu:.1f}) | {h_best:.2f} ms (median {h_med:.2f}; CPU {h_cpu:.2f}) | "
                         f"{ms(min(r.wall for r in cold))} | "
                         f"{ms(min(r.wall for r in cached))} | {ms(min(r.wall for r in interp))} |")
            verdicts.append(f"{label}: cold {verdict(c_best < 200)} (CPU time {verdict(c_cpu < 200)}), "
                            f"cached {verdict(h_best < 10)}")
        return ["## (c) Compile latency", "",
                f"From `--jit-stats`: lower (IR to LLVM IR) + codegen (LLVM to machine code, or loading the cached "
                f"object on a hit), wall time, and the CPU time the compiling thread used (the wall time includes "
                f"waiting for a CPU on a loaded machine); best and median of {self.runs} fresh stores. The process walls include start-up "
                "and the run itself (the example starts its npm servers). Load average before: "
                f"{before}, after: {load()}.", "", *table, "",
                "Targets (< 200 ms cold, < 10 ms cached): " + "; ".join(verdicts) + ".", ""]


def header(orch: Path, build: Path | None, runs: int) -> list[str]:
    version = subprocess.run([orch, "--version"], capture_output=True, text=True).stdout
    jit_line = next((line for line in version.splitlines() if line.startswith("jit:")), "jit: (not reported)")
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    build_type = "unknown"
    if build and (build / "CMakeCache.txt").exists():
        match = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", (build / "CMakeCache.txt").read_text(), re.M)
        build_type = (match.group(1) if match else "") or "default (RelWithDebInfo)"
    return ["# JIT benchmarks", "",
            f"Run {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} by `bench/jit/run.py` at commit "
            f"{commit} on {cpu_name()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; binary "
            f"`{orch}` (build type {build_type}), `{jit_line}`; best of {runs} rounds. The machine is shared with "
            "other engineers' builds, so wall times vary between runs; the engines alternate so each ratio "
            "compares runs made under the same load, and the load average is shown for each part.", ""]


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--smoke":
        smoke(Path(sys.argv[2]).resolve())
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", nargs="?", type=Path, default=ROOT / "build")
    parser.add_argument("--binary", type=Path, help="use this orchestrator instead of building BUILD_DIR's")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--n", type=int, default=10_000_000, help="numeric.orch's n")
    parser.add_argument("--records", type=int, default=500_000)
    args = parser.parse_args()
    build = args.build.resolve()
    if args.binary:
        orch = args.binary.resolve()
    else:
        subprocess.run(["ninja", "-C", str(build), "-j2", "orchestrator"], check=True)
        orch = build / "cli" / "orchestrator"
    require_jit(orch)
    bench = Bench(orch, args.runs)
    try:
        lines = header(orch, None if args.binary else build, args.runs)
        lines += bench.numeric(args.n)
        lines += bench.transform(args.records)
        lines += bench.latency()
    finally:
        shutil.rmtree(bench.work, ignore_errors=True)
    out = ROOT / "bench" / "results" / "jit.md"
    # The hand-written "Notes" section (what the figures mean, what changed) survives a re-run.
    kept = []
    if out.exists():
        previous = out.read_text()
        marker = previous.find("## Notes")
        if marker >= 0:
            kept = [previous[marker:].rstrip("\n"), ""]
    out.write_text("\n".join(lines + kept))
    print(out.read_text())


if __name__ == "__main__":
    main()

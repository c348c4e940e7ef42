#!/usr/bin/env python3
"""Equivalence of the JIT and the interpreter (issue 8): runs programs both ways and compares.

    run_equivalence.py ORCHESTRATOR SOURCE_ROOT GROUP [--jit-flag FLAG] [--only SUBSTRING]

Every case runs twice, the same way except for FLAG (default `--jit`) placed right after the
subcommand, and its standard output, standard error and exit code must be identical. The
harness never passes `--jit-stats`, so nothing but the program's own output is compared.
GROUP is one of:

  examples   every examples/NAME.orch as tests/examples/run_example.py runs it: a fresh copy
             of examples/ per run, tests/examples/orchestrator.yaml, the npm servers of
             tests/node_modules, `run NAME.orch --progress none`;
  golden     every tests/golden/run/NAME.orch with the arguments and environment of
             tests/golden/run_golden.py (its `# ARGS:` line or suite.args);
  tests      `orchestrator test FILE --tap -j 1` on every .orch file under examples/ and
             tests/ that declares a `test "…"` block, in the file's folder (TAP: no timings);
  programs   tests/jit/programs/NAME.orch (`run`): edge cases of native code (int overflow,
             negative remainders, int/number mixing, deep loops). A `fail_` program must fail,
             and its first line `# AT: FILE:LINE:COL` must appear in standard error both ways,
             so a runtime error keeps its source location under the JIT. An `interrupt_`
             program runs with `--progress plain` and gets SIGINT once the line named by its
             first line `# INTERRUPT AFTER: LINE` is on standard error; both runs must exit 130
             (a compiled loop must notice the cancellation).

Output that is not deterministic even between two interpreter runs is masked in both runs
before comparing: ISO-8601 timestamps (hello.orch prints std.now()). A run that exceeds its
time limit counts as a difference. `--jit-flag` exists to show that the harness fails when the
two runs differ (e.g. `--jit-flag=--json`). python3 is the only dependency.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

TIMEOUT_SECONDS = 120
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
# Per-file extra arguments of `orchestrator test` (the same ones as its CLI test).
TEST_ARGS = {"tests/cli/test/hang.orch": ["--timeout", "300ms"]}


@dataclass
class Case:
    """One program run both ways: global options, then `args` with the flag after args[0]."""
    name: str
    args: list[str]
    cwd: Path
    env: dict[str, str]
    # Given a fresh temporary folder before each of the two runs, returns that run's (cwd, env).
    prepare: Callable[[Path], tuple[Path, dict[str, str]]] | None = None
    must_fail_at: str | None = None
    # Send SIGINT once this line has appeared on standard error (the run must then exit 130).
    interrupt_after: str | None = None
    global_options: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH")}
    env.update({"NO_COLOR": "1", "TERM": "dumb", "LC_ALL": "C.UTF-8", "TZ": "UTC"})
    env.update(extra)
    return env


def command(case: Case, flag: str | None) -> list[str]:
    args = case.args if flag is None else [case.args[0], flag, *case.args[1:]]
    return [*case.global_options, *args]


def run(binary: Path, args: list[str], cwd: Path, env: dict[str, str]) -> Outcome:
    try:
        done = subprocess.run([str(binary), *args], cwd=cwd, env=env, capture_output=True,
                              timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return Outcome(-1, "", f"(harness) timed out after {TIMEOUT_SECONDS} s\n")
    return Outcome(done.returncode, done.stdout.decode("utf-8", "replace"),
                   done.stderr.decode("utf-8", "replace"))


def run_interrupted(binary: Path, args: list[str], cwd: Path, env: dict[str, str], line: str) -> Outcome:
    """Runs until `line` appears on standard error, then sends SIGINT and collects the rest."""
    proc = subprocess.Popen([str(binary), *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        chunk = proc.stderr.readline()
        seen += chunk
        if not chunk or chunk.decode("utf-8", "replace").rstrip("\n") == line:
            break
    time.sleep(0.05)  # let the run reach the loop after the line
    proc.send_signal(signal.SIGINT)
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        stderr += b"\n(harness) still running after SIGINT\n"
    return Outcome(proc.returncode, stdout.decode("utf-8", "replace"), (seen + stderr).decode("utf-8", "replace"))


def masked(text: str) -> str:
    return TIMESTAMP.sub("<timestamp>", text)


def diff(what: str, interp: str, jit: str) -> str:
    lines = difflib.unified_diff(interp.splitlines(keepends=True), jit.splitlines(keepends=True),
                                 fromfile=f"{what} (interpreter)", tofile=f"{what} (jit)")
    return "".join(lines)


def compare(case: Case, binary: Path, flag: str) -> list[str]:
    outcomes = []
    for way in (None, flag):
        if case.prepare:
            with tempfile.TemporaryDirectory(prefix="orch-jit-eq-") as tmp:
                cwd, env = case.prepare(Path(tmp))
                outcomes.append(run(binary, command(case, way), cwd, env))
        elif case.interrupt_after is not None:
            outcomes.append(run_interrupted(binary, command(case, way), case.cwd, case.env, case.interrupt_after))
        else:
            outcomes.append(run(binary, command(case, way), case.cwd, case.env))
    interp, jit = outcomes
    shown = " ".join(command(case, flag))
    problems = []
    if interp.code != jit.code:
        problems.append(f"exit code {interp.code} (interpreter) against {jit.code} (jit)")
    for what in ("stdout", "stderr"):
        a, b = masked(getattr(interp, what)), masked(getattr(jit, what))
        if a != b:
            problems.append(f"{what} differs:\n{diff(what, a, b)}")
    if case.interrupt_after is not None:
        for label, outcome in (("interpreter", interp), ("jit", jit)):
            if outcome.code != 130:
                problems.append(f"{label}: exit code {outcome.code} after SIGINT, expected 130")
    if case.must_fail_at is not None:
        for label, outcome in (("interpreter", interp), ("jit", jit)):
            if outcome.code == 0:
                problems.append(f"{label}: exit code 0, but a `fail_` program must fail")
            if case.must_fail_at not in outcome.stderr:
                problems.append(f"{label}: stderr does not name {case.must_fail_at}:\n{outcome.stderr}")
    if problems:
        return [f"{case.name} (orchestrator {shown}, in {case.cwd}):\n  " + "\n  ".join(problems)]
    return []


def example_cases(root: Path) -> list[Case]:
    modules = root / "tests" / "node_modules"
    if not (modules / "@modelcontextprotocol").is_dir():
        sys.exit("tests/node_modules is missing: run `npm ci` in tests/ first")
    config = root / "tests" / "examples" / "orchestrator.yaml"

    def prepare(tmp: Path):
        work = tmp / "examples"
        shutil.copytree(root / "examples", work)
        return work, clean_env({"ORCH_NODE_MODULES": str(modules), "ORCH_EXAMPLE_DIR": str(work),
                                "ORCH_STORE_DIR": str(tmp / "store"), "HOME": str(tmp)})

    return [Case(f"examples/{p.name}", ["run", p.name, "--progress", "none"], root / "examples", {},
                 prepare=prepare, global_options=["--config", str(config)])
            for p in sorted((root / "examples").glob("*.orch"))]


def golden_cases(root: Path) -> list[Case]:
    suite = root / "tests" / "golden" / "run"
    spec = importlib.util.spec_from_file_location("run_golden", root / "tests" / "golden" / "run_golden.py")
    golden = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(golden)
    return [Case(f"tests/golden/run/{p.name}", golden.arguments(p, suite), suite, golden.environment())
            for p in sorted(suite.glob("*.orch"))]


def test_cases(root: Path) -> list[Case]:
    files = []
    for top in ("examples", "tests"):
        for path in sorted((root / top).rglob("*.orch")):
            if "node_modules" in path.parts:
                continue
            if re.search(r'^test "', path.read_text(errors="replace"), re.M):
                files.append(path)
    cases = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        cases.append(Case(rel, ["test", path.name, "--tap", "-j", "1", *TEST_ARGS.get(rel, [])], path.parent,
                          clean_env({})))
    return cases


def program_cases(root: Path) -> list[Case]:
    here = root / "tests" / "jit" / "programs"
    cases = []
    for path in sorted(here.glob("*.orch")):
        first = path.read_text().split("\n", 1)[0]
        at = interrupt = None
        if path.name.startswith("fail_"):
            match = re.fullmatch(r"# AT: (\S+:\d+:\d+)", first)
            if not match:
                sys.exit(f"{path}: a fail_ program needs a first line `# AT: FILE:LINE:COL`")
            at = match.group(1)
        args = ["run", path.name]
        if path.name.startswith("interrupt_"):
            match = re.fullmatch(r"# INTERRUPT AFTER: (.+)", first)
            if not match:
                sys.exit(f"{path}: an interrupt_ program needs a first line `# INTERRUPT AFTER: LINE`")
            interrupt = match.group(1)
            args += ["--progress", "plain"]  # so `log` lines reach standard error as they happen
        cases.append(Case(f"tests/jit/programs/{path.name}", args, here, clean_env({}), must_fail_at=at,
                          interrupt_after=interrupt))
    return cases


GROUPS = {"examples": example_cases, "golden": golden_cases, "tests": test_cases, "programs": program_cases}


def main() -> int:
    parser = argparse.ArgumentParser(description="Runs programs with and without --jit and compares the results.")
    parser.add_argument("orchestrator", type=Path)
    parser.add_argument("root", type=Path)
    parser.add_argument("group", choices=sorted(GROUPS))
    parser.add_argument("--jit-flag", default="--jit", help="the flag that differs between the two runs")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    args = parser.parse_args()
    binary, root = args.orchestrator.resolve(), args.root.resolve()
    cases = [c for c in GROUPS[args.group](root) if args.only in c.name]
    if not cases:
        print(f"error: no cases in group {args.group}", file=sys.stderr)
        return 2
    problems = []
    for case in cases:
        found = compare(case, binary, args.jit_flag)
        problems += found
        print(f"{'DIFF' if found else 'same'} {case.name}", flush=True)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} of {len(cases)} case(s) of {args.group} differ under {args.jit_flag}", file=sys.stderr)
        return 1
    print(f"ok: {len(cases)} case(s) of {args.group} give identical output, errors and exit code under {args.jit_flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Golden tests: run the orchestrator binary on every NAME.orch of a suite and compare.

    run_golden.py ORCHESTRATOR_BINARY SUITE_DIR [NAME...]

For each NAME.orch in SUITE_DIR (or only the NAMEs given):
  - the arguments are the file's first line `# ARGS: check --emit ast %s` if present, else
    the suite's `suite.args` file (one line), else `check %s`; `%s` is the file name;
  - the binary runs in SUITE_DIR with NO_COLOR=1 and a relative path, so output is stable;
  - stdout is compared with NAME.stdout and stderr with NAME.stderr (a missing file means
    the stream must be empty);
  - the exit code must be 0, or nonzero exactly when NAME starts with `fail_`.

ORCH_UPDATE_GOLDENS=1 rewrites the expected files from the actual output (an expected
empty stream deletes its file); the exit-code rule is still enforced. On a mismatch the
runner prints a unified diff. python3 is the only dependency.
"""

from __future__ import annotations

import difflib
import os
import shlex
import subprocess
import sys
from pathlib import Path

TIMEOUT_SECONDS = 60


def arguments(orch: Path, suite: Path) -> list[str]:
    first = orch.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    if first.startswith("# ARGS:"):
        line = first[len("# ARGS:"):]
    elif (suite / "suite.args").exists():
        line = (suite / "suite.args").read_text().strip()
    else:
        line = "check %s"
    return [orch.name if a == "%s" else a for a in shlex.split(line)]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
    env.update({"NO_COLOR": "1", "TERM": "dumb", "LC_ALL": "C.UTF-8", "TZ": "UTC"})
    return env


def compare(name: str, expected_file: Path, actual: str, update: bool) -> list[str]:
    expected = expected_file.read_text() if expected_file.exists() else ""
    if expected == actual:
        return []
    if update:
        if actual:
            expected_file.write_text(actual)
        elif expected_file.exists():
            expected_file.unlink()
        return []
    diff = difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                fromfile=f"{expected_file.name} (expected)", tofile=f"{expected_file.name} (actual)")
    return [f"{name}: {expected_file.suffix[1:]} differs\n" + "".join(diff)]


def run_one(binary: Path, suite: Path, orch: Path, update: bool) -> list[str]:
    name = orch.stem
    args = arguments(orch, suite)
    try:
        proc = subprocess.run([str(binary), *args], cwd=suite, env=environment(), capture_output=True,
                              timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return [f"{name}: timed out after {TIMEOUT_SECONDS}s (orchestrator {' '.join(args)})"]
    problems = []
    should_fail = name.startswith("fail_")
    if proc.returncode < 0:
        problems.append(f"{name}: killed by signal {-proc.returncode}")
    elif should_fail and proc.returncode == 0:
        problems.append(f"{name}: exit code 0, but a `fail_` test must exit nonzero")
    elif not should_fail and proc.returncode != 0:
        problems.append(f"{name}: exit code {proc.returncode}, expected 0 (name it `fail_{name}` if it should fail)")
    stdout = proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr.decode("utf-8", "replace")
    problems += compare(name, suite / f"{name}.stdout", stdout, update)
    problems += compare(name, suite / f"{name}.stderr", stderr, update)
    return problems


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: run_golden.py ORCHESTRATOR_BINARY SUITE_DIR [NAME...]", file=sys.stderr)
        return 2
    binary = Path(sys.argv[1]).resolve()
    suite = Path(sys.argv[2]).resolve()
    only = set(sys.argv[3:])
    update = os.environ.get("ORCH_UPDATE_GOLDENS") == "1"
    tests = sorted(p for p in suite.glob("*.orch") if not only or p.stem in only)
    if not tests:
        print(f"error: no .orch files in {suite}", file=sys.stderr)
        return 2
    problems: list[str] = []
    for orch in tests:
        problems += run_one(binary, suite, orch, update)
    for problem in problems:
        print(problem, file=sys.stderr)
    verb = "updated" if update else "passed"
    if problems:
        print(f"{len(problems)} problem(s) in {len(tests)} golden test(s) of {suite.name}", file=sys.stderr)
        return 1
    print(f"ok: {len(tests)} golden test(s) of {suite.name} {verb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

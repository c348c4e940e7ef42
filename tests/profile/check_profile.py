#!/usr/bin/env python3
"""`orchestrator profile` and `run --trace-out` on examples/hello.orch (std only).

    check_profile.py ORCHESTRATOR REPO_ROOT

Timings vary, so the report is checked for its parts rather than pinned: the header with
the run count, the totals, each step of the workflow with its location, the critical
path; exit 0. The trace file must be valid JSON in the Chrome trace event format with one
complete ("X") event per call per run, each inside a workflow event on the same thread.
`run --trace-out` must still print the workflow's result.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def check_trace(path: Path, runs: int, calls_per_run: int) -> list[str]:
    problems = []
    events = json.loads(path.read_text())["traceEvents"]
    complete = [e for e in events if e.get("ph") == "X"]
    calls = [e for e in complete if e.get("cat") == "call"]
    workflows = [e for e in complete if e.get("cat") == "workflow"]
    if len(calls) != runs * calls_per_run:
        problems.append(f"{path.name}: {len(calls)} call events, expected {runs * calls_per_run}")
    for c in calls:
        for key in ("name", "ts", "dur", "pid", "tid"):
            if key not in c:
                problems.append(f"{path.name}: a call event lacks `{key}`: {c}")
        inside = [w for w in workflows if w["tid"] == c["tid"] and w["args"]["run"] == c["args"]["run"]
                  and w["ts"] <= c["ts"] and c["ts"] + c["dur"] <= w["ts"] + w["dur"]]
        if not inside:
            problems.append(f"{path.name}: call {c['name']} is not inside a workflow event")
        if not c["args"].get("location", "").startswith("hello.orch:"):
            problems.append(f"{path.name}: call {c['name']} has no source location")
    return problems


def main() -> int:
    binary, root = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    examples = root / "examples"
    problems = []
    with tempfile.TemporaryDirectory(prefix="orch-profile-") as tmp:
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "NO_COLOR": "1", "ORCH_STORE_DIR": f"{tmp}/store"}
        trace = Path(tmp) / "profile.json"
        done = subprocess.run([str(binary), "profile", "hello.orch", "--runs", "3", "--arg", "name=Ada",
                               "--progress", "none", "--trace-out", str(trace)],
                              cwd=examples, env=env, capture_output=True, text=True, timeout=120)
        report = done.stdout
        if done.returncode != 0:
            problems.append(f"profile exited {done.returncode}: {done.stderr}")
        for part in ("profile of `main` in hello.orch (3 runs)", "total", "median", "in servers", "orchestrator",
                     "calls          2 per run", "std.echo", "std.now", "hello.orch:", "critical path"):
            if part not in report:
                problems.append(f"the profile report lacks `{part}`:\n{report}")
        if "hello, Ada" in report:
            problems.append("profile printed the workflow's result instead of only the report")
        if trace.exists():
            problems += check_trace(trace, runs=3, calls_per_run=2)
        else:
            problems.append("profile --trace-out wrote no file")

        run_trace = Path(tmp) / "run.json"
        done = subprocess.run([str(binary), "run", "hello.orch", "--arg", "name=Ada", "--progress", "none",
                               "--trace-out", str(run_trace)],
                              cwd=examples, env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0 or "hello, Ada" not in done.stdout:
            problems.append(f"run --trace-out: exit {done.returncode}, stdout {done.stdout!r}, stderr {done.stderr}")
        if run_trace.exists():
            problems += check_trace(run_trace, runs=1, calls_per_run=2)
        else:
            problems.append("run --trace-out wrote no file")

        bad = subprocess.run([str(binary), "profile", "hello.orch", "--runs", "0"], cwd=examples, env=env,
                             capture_output=True, text=True, timeout=60)
        if bad.returncode != 2:
            problems.append(f"profile --runs 0 exited {bad.returncode}, expected 2 (usage)")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

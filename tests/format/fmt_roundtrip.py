#!/usr/bin/env python3
"""`orchestrator fmt` over every .orch file of the goldens and examples:

  - idempotent: formatting the formatted text changes nothing (and `fmt --check` agrees);
  - meaning-preserving: the AST of the formatted text equals the original's (positions
    aside), as printed by `check --emit ast`.

Files with syntax errors (fmt exits 2) are skipped; they are covered by fail_ goldens.

    fmt_roundtrip.py ORCHESTRATOR DIR...
"""
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, encoding="utf-8", errors="replace", timeout=60,
                          env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})


def shape(binary, path):
    out = run(binary, "check", "--emit", "ast", str(path)).stdout
    # Positions differ, and a comment hoisted out of an expression stops trailing.
    lines = [l for l in re.sub(r"\s*@\S+", "", out).splitlines() if not l.strip().startswith("Comment")]
    return "\n".join(lines)


def main() -> int:
    binary, dirs = sys.argv[1], sys.argv[2:]
    files = sorted(f for d in dirs for f in Path(d).rglob("*.orch"))
    problems, checked = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            first = run(binary, "fmt", "--stdout", str(f))
            if first.returncode == 2:
                continue
            if first.returncode != 0:
                problems.append(f"{f}: fmt exited {first.returncode}: {first.stderr.strip()}")
                continue
            checked += 1
            copy = Path(tmp) / f.name
            copy.write_text(first.stdout)
            second = run(binary, "fmt", "--stdout", str(copy))
            if second.stdout != first.stdout:
                problems.append(f"{f}: formatting is not idempotent")
            if run(binary, "fmt", "--check", str(copy)).returncode != 0:
                problems.append(f"{f}: `fmt --check` rejects fmt's own output")
            if shape(binary, f) != shape(binary, copy):
                problems.append(f"{f}: the formatted program parses to a different AST")
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    if checked == 0:
        print("FAIL: no file was formatted", file=sys.stderr)
        return 1
    print(f"{checked} files round-tripped, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

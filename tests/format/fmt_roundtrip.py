#!/usr/bin/env python3
"""`orchestrator fmt` over every .orch file of the goldens and examples:

  - idempotent: formatting the formatted text changes nothing (`fmt --check` on the
    formatted copies, all in one run);
  - meaning-preserving: the AST of the formatted text equals the original's (positions
    aside), as printed by `check --emit ast`.

Files with syntax errors (fmt exits 2) are skipped; they are covered by fail_ goldens.
Each file costs three runs of the binary (fmt, and check of the original and of the copy),
spread over two worker threads: under AddressSanitizer every run pays its start-up and
exit-time leak check, and the test covers about 280 files.

    fmt_roundtrip.py ORCHESTRATOR DIR...
"""
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

WORKERS = 2


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, encoding="utf-8", errors="replace", timeout=60,
                          env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})


def shape(binary, path):
    out = run(binary, "check", "--emit", "ast", str(path)).stdout
    # Positions differ, and a comment hoisted out of an expression stops trailing.
    lines = [l for l in re.sub(r"\s*@\S+", "", out).splitlines() if not l.strip().startswith("Comment")]
    return "\n".join(lines)


def round_trip(binary, original, copy):
    """Formats `original` into `copy`; returns (formatted, problems), formatted False when skipped."""
    first = run(binary, "fmt", "--stdout", str(original))
    if first.returncode == 2:
        return False, []
    if first.returncode != 0:
        return False, [f"{original}: fmt exited {first.returncode}: {first.stderr.strip()}"]
    copy.write_text(first.stdout)
    if shape(binary, original) != shape(binary, copy):
        return True, [f"{original}: the formatted program parses to a different AST"]
    return True, []


def main() -> int:
    binary, dirs = sys.argv[1], sys.argv[2:]
    files = sorted(f for d in dirs for f in Path(d).rglob("*.orch"))
    problems, formatted = [], []
    with tempfile.TemporaryDirectory() as tmp:
        # One folder per file keeps the copies' names (two suites may share a file name).
        copies = []
        for index, f in enumerate(files):
            folder = Path(tmp) / str(index)
            folder.mkdir()
            copies.append(folder / f.name)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            results = list(pool.map(lambda pair: round_trip(binary, *pair), zip(files, copies)))
        for (original, copy), (was_formatted, found) in zip(zip(files, copies), results):
            problems += found
            if was_formatted:
                formatted.append((original, copy))
        if formatted:
            check = run(binary, "fmt", "--check", *[str(copy) for _, copy in formatted])
            if check.returncode != 0:
                originals = {str(copy): str(original) for original, copy in formatted}
                listed = [originals.get(line.strip(), line.strip()) for line in check.stdout.splitlines() if line.strip()]
                problems.append("formatting is not idempotent (`fmt --check` rejects fmt's own output) for: "
                                + (", ".join(listed) or check.stderr.strip()))
    for p in problems:
        print("FAIL:", p, file=sys.stderr)
    if not formatted:
        print("FAIL: no file was formatted", file=sys.stderr)
        return 1
    print(f"{len(formatted)} files round-tripped, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

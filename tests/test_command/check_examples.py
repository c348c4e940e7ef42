#!/usr/bin/env python3
"""Runs `orchestrator test examples/` from the source root with no configuration in reach
and no servers: every example's tests must pass, and every example must have some.

Usage: check_examples.py ORCHESTRATOR SOURCE_ROOT
"""
import os
import re
import subprocess
import sys
from pathlib import Path


def main() -> int:
    binary, root = sys.argv[1], Path(sys.argv[2])
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
    env["PATH"] = "/usr/bin:/bin"  # no npx: a real server start would fail loudly
    proc = subprocess.run([binary, "test", "examples/"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=100)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        print(f"FAILED: exit {proc.returncode}, expected 0")
        return 1
    summary = re.search(r"^(\d+) passed, 0 failed$", proc.stdout, re.M)
    if not summary or int(summary.group(1)) == 0:
        print("FAILED: no `N passed, 0 failed` line")
        return 1
    for example in sorted((root / "examples").glob("*.orch")):
        if not re.search(rf"^ok   examples/{re.escape(example.name)}: ", proc.stdout, re.M):
            print(f"FAILED: {example.name} has no passing test")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Runs one examples/NAME.orch end to end and checks its output.

The example runs in a fresh copy of examples/ (so files it writes never touch the
repository) with tests/examples/orchestrator.yaml, which starts the npm servers pinned in
tests/package.json from tests/node_modules. Expected output: tests/examples/NAME.stdout
(exact) or NAME.stdout.regex (a Python regex matching the whole output, for examples that
print times). ORCH_UPDATE_GOLDENS=1 rewrites NAME.stdout from the actual output.

usage: run_example.py ORCHESTRATOR REPO_ROOT NAME
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    binary, root, name = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve(), sys.argv[3]
    here = root / "tests" / "examples"
    modules = root / "tests" / "node_modules"
    if not (modules / "@modelcontextprotocol").is_dir():
        print(f"tests/node_modules is missing: run `npm ci` in tests/ first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix=f"orch-example-{name}-") as tmp:
        work = Path(tmp) / "examples"
        shutil.copytree(root / "examples", work)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH")}
        env.update({
            "ORCH_NODE_MODULES": str(modules),
            "ORCH_EXAMPLE_DIR": str(work),
            "ORCH_STORE_DIR": str(Path(tmp) / "store"),
            "NO_COLOR": "1",
            "TZ": "UTC",
            "HOME": tmp,
        })
        command = [str(binary), "--config", str(here / "orchestrator.yaml"), "run", f"{name}.orch",
                   "--progress", "none"]
        try:
            done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            print(f"{name}.orch did not finish within 120 s", file=sys.stderr)
            return 1
    if done.returncode != 0:
        print(f"{name}.orch exited with {done.returncode}\n--- stderr\n{done.stderr}--- stdout\n{done.stdout}",
              file=sys.stderr)
        return 1
    exact, regex = here / f"{name}.stdout", here / f"{name}.stdout.regex"
    if regex.exists():
        if not re.fullmatch(regex.read_text(), done.stdout, re.S):
            print(f"output does not match {regex.name}:\n{done.stdout}", file=sys.stderr)
            return 1
        return 0
    if os.environ.get("ORCH_UPDATE_GOLDENS") == "1":
        exact.write_text(done.stdout)
        return 0
    if not exact.exists() or exact.read_text() != done.stdout:
        expected = exact.read_text() if exact.exists() else "(no expected file)"
        print(f"--- expected ({exact.name})\n{expected}--- actual\n{done.stdout}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

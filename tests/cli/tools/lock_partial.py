#!/usr/bin/env python3
"""`tools lock` with one ad-hoc server (--name/--stdio) adds or refreshes that server's
entry and keeps every other entry of the existing lock; a lock file that cannot be read
is reported (exit 2) and left as it was, never replaced by a partial one.

usage: lock_partial.py ORCHESTRATOR
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "mock", "echo.yaml")


def run(binary, cwd, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
    env.update(HOME=cwd, NO_COLOR="1", ORCH_STORE_DIR=os.path.join(cwd, "state"))
    return subprocess.run([binary, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def servers(path):
    with open(path) as f:
        return sorted(json.load(f)["servers"].keys())


def main():
    binary = os.path.abspath(sys.argv[1])
    failures = []
    with tempfile.TemporaryDirectory(prefix="orch-lock-partial-") as tmp:
        lock = os.path.join(tmp, "orchestrator.lock")
        first = run(binary, tmp, "tools", "lock")
        if first.returncode != 0 or servers(lock) != ["std"]:
            failures.append(f"full lock: exit {first.returncode}, {first.stderr}")
        adhoc = run(binary, tmp, "tools", "lock", "--name", "ev", "--stdio", f"{binary} mock serve {FIXTURE}")
        if adhoc.returncode != 0:
            failures.append(f"ad-hoc lock: exit {adhoc.returncode}, {adhoc.stderr}")
        elif servers(lock) != ["ev", "std"]:
            failures.append(f"ad-hoc lock dropped entries: {servers(lock)}")
        elif "2 servers" not in adhoc.stdout:
            failures.append(f"ad-hoc lock summary should count the whole file: {adhoc.stdout!r}")
        check = run(binary, tmp, "tools", "lock", "--check", "--name", "ev", "--stdio", f"{binary} mock serve {FIXTURE}")
        if check.returncode != 0:
            failures.append(f"--check after an ad-hoc lock: exit {check.returncode}, {check.stdout}{check.stderr}")

        with open(lock, "w") as f:
            f.write("{ not json")
        broken = run(binary, tmp, "tools", "lock", "--name", "ev", "--stdio", f"{binary} mock serve {FIXTURE}")
        with open(lock) as f:
            kept = f.read()
        if broken.returncode != 2 or "cannot update" not in broken.stderr or kept != "{ not json":
            failures.append(f"corrupt lock: exit {broken.returncode}, stderr {broken.stderr!r}, file now {kept[:40]!r}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

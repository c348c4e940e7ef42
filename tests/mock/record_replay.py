#!/usr/bin/env python3
"""`mock record` against real npm servers, then `run --mock` with no server at all.

    record_replay.py ORCHESTRATOR REPO_ROOT

For examples/knowledge_graph.orch (server-memory) and examples/files.orch
(server-filesystem): record a run, then replay it with a configuration whose servers
cannot start (so any real call would fail) and require the same output. Also records a
workflow whose arguments carry a secret-looking environment variable's value and checks
the fixture holds `[redacted:NAME]` instead, and that a fixture without `stands_for` is
refused with exit 2.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROKEN = """servers:
  memory:
    command: /nonexistent/memory-server
  filesystem:
    command: /nonexistent/filesystem-server
"""

SECRET_FLOW = """use memory

workflow main(note: string) -> int {
  let made = memory.create_entities(entities: [{ name: "vault", entityType: "thing", observations: [note] }])
  return len(made.entities)
}
"""


def run(binary, args, cwd, env):
    return subprocess.run([str(binary), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def main() -> int:
    binary, root = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    modules = root / "tests" / "node_modules"
    config = root / "tests" / "examples" / "orchestrator.yaml"
    problems = []
    with tempfile.TemporaryDirectory(prefix="orch-record-") as tmp:
        work = Path(tmp) / "examples"
        shutil.copytree(root / "examples", work)
        (work / "broken.yaml").write_text(BROKEN)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH")}
        env.update({"ORCH_NODE_MODULES": str(modules), "ORCH_EXAMPLE_DIR": str(work),
                    "ORCH_STORE_DIR": str(Path(tmp) / "store"), "NO_COLOR": "1", "HOME": tmp})
        for example, server in (("knowledge_graph", "memory"), ("files", "filesystem")):
            fixture = work / f"{server}.fixture.yaml"
            recorded = run(binary, ["--config", str(config), "mock", "record", "--server", server, "-o", str(fixture),
                                    f"{example}.orch", "--progress", "none"], work, env)
            if recorded.returncode != 0 or not fixture.exists():
                problems.append(f"{example}: mock record exited {recorded.returncode}: {recorded.stderr}")
                continue
            if f"stands_for: \"{server}\"" not in fixture.read_text():
                problems.append(f"{example}: the fixture does not say it stands for `{server}`")
            # The servers of broken.yaml cannot start: only the fixture can answer.
            replayed = run(binary, ["--config", "broken.yaml", "run", f"{example}.orch", "--mock", str(fixture),
                                    "--progress", "none"], work, env)
            if replayed.returncode != 0:
                problems.append(f"{example}: replay exited {replayed.returncode}: {replayed.stderr}")
            elif replayed.stdout != recorded.stdout:
                problems.append(f"{example}: replay printed\n{replayed.stdout}\nbut the recorded run printed\n"
                                f"{recorded.stdout}")
            unmocked = run(binary, ["--config", "broken.yaml", "run", f"{example}.orch", "--progress", "none"], work, env)
            if unmocked.returncode == 0:
                problems.append(f"{example}: without --mock the broken servers should fail the run")

        (work / "secret.orch").write_text(SECRET_FLOW)
        secret = "s3cr3t-value-42"
        env_secret = dict(env, DEMO_API_TOKEN=secret)
        fixture = work / "secret.fixture.yaml"
        recorded = run(binary, ["--config", str(config), "mock", "record", "--server", "memory", "-o", str(fixture),
                                "secret.orch", "--arg", f"note=token {secret}", "--progress", "none"], work, env_secret)
        if recorded.returncode != 0:
            problems.append(f"secret: mock record exited {recorded.returncode}: {recorded.stderr}")
        else:
            text = fixture.read_text()
            if secret in text or "[redacted:DEMO_API_TOKEN]" not in text:
                problems.append(f"secret: the fixture is not redacted:\n{text}")

        nameless = work / "nameless.yaml"
        nameless.write_text("tools:\n  read_graph:\n    responses: []\n")
        refused = run(binary, ["--config", "broken.yaml", "run", "knowledge_graph.orch", "--mock", str(nameless)],
                      work, env)
        if refused.returncode != 2 or "stands_for" not in refused.stderr:
            problems.append(f"a fixture without stands_for: exit {refused.returncode}, stderr {refused.stderr}")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Every example drawn by `orchestrator graph --format dot` renders with Graphviz.

    render_dot.py ORCHESTRATOR REPO_ROOT

For each examples/*.orch: `graph --format dot` must exit 0, and `dot -Tsvg` must accept
its output with exit 0 and nothing on stderr (Graphviz warns there about syntax it
tolerates). The Mermaid output of the same file must name the same call nodes.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path


def main() -> int:
    binary, root = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    if shutil.which("dot") is None:
        print("Graphviz `dot` is not installed (apt install graphviz)", file=sys.stderr)
        return 1
    examples = root / "examples"
    problems = []
    files = sorted(examples.glob("*.orch"))
    for path in files:
        base = [str(binary), "--config", "orchestrator.yaml", "graph", path.name]
        dot = subprocess.run(base + ["--format", "dot"], cwd=examples, capture_output=True, text=True, timeout=60)
        if dot.returncode != 0:
            problems.append(f"{path.name}: graph exited {dot.returncode}: {dot.stderr}")
            continue
        svg = subprocess.run(["dot", "-Tsvg"], input=dot.stdout, capture_output=True, text=True, timeout=60)
        if svg.returncode != 0 or svg.stderr.strip():
            problems.append(f"{path.name}: dot -Tsvg failed ({svg.returncode}): {svg.stderr}\n{dot.stdout}")
            continue
        if "<svg" not in svg.stdout:
            problems.append(f"{path.name}: dot produced no SVG")
        mermaid = subprocess.run(base, cwd=examples, capture_output=True, text=True, timeout=60)
        dot_nodes = set(re.findall(r"^\s*(w\d+_n\d+) \[", dot.stdout, re.M))
        mermaid_nodes = set(re.findall(r"^\s*(w\d+_n\d+)[\[\(\{]", mermaid.stdout, re.M))
        if mermaid.returncode != 0 or dot_nodes != mermaid_nodes:
            problems.append(f"{path.name}: Mermaid and DOT disagree on the call nodes: "
                            f"{sorted(dot_nodes ^ mermaid_nodes)}")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(files) - len(problems)} of {len(files)} examples rendered")
    return 1 if problems or not files else 0


if __name__ == "__main__":
    sys.exit(main())

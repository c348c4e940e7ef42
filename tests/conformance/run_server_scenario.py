#!/usr/bin/env python3
"""Runs one server scenario of the official MCP conformance suite against an orchestrator
server on loopback HTTP: `orchestrator SERVER_ARGS… --http 127.0.0.1:0`, started in a
scratch folder with no configuration. Used for `serve` (tests/serve) and `mock serve`
(tests/mock).

usage: run_server_scenario.py --binary ORCHESTRATOR --node NODE22 --scenario NAME -- SERVER_ARGS…
  e.g. … -- serve tests/serve/conformance.orch
       … -- mock serve tests/mock/conformance.yaml
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(os.path.dirname(HERE), "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js")


def wait_for_address(server):
    """The URL the server prints (`listening on URL`), or None with what it printed."""
    seen = ""
    while True:
        line = server.stderr.readline()
        if not line:
            return None, seen
        seen += line
        found = re.search(r"listening on (\S+)", line)
        if found:
            return found.group(1), seen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--node", required=True)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("server_args", nargs="+", help="the orchestrator subcommand that serves, after --")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="orch-server-conformance-") as workdir:
        command = [os.path.abspath(args.binary), *args.server_args, "--http", "127.0.0.1:0"]
        server = subprocess.Popen(command, cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        try:
            url, seen = wait_for_address(server)
            if not url:
                print(f"error: `{' '.join(command)}` did not start:\n{seen}{server.stderr.read()}", file=sys.stderr)
                return 1
            argv = [os.path.abspath(args.node), SUITE, "server", "--url", url, "--scenario", args.scenario,
                    "-o", os.path.join(workdir, "results")]
            print("$ " + " ".join(argv), flush=True)
            proc = subprocess.run(argv, cwd=workdir, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=120)
            print(proc.stdout + proc.stderr)
            # The suite exits 0 only when every check passed; also refuse any FAILURE line.
            if proc.returncode != 0 or re.search(r"\bFAIL(URE|ED)?\b", proc.stdout) and "0 failed" not in proc.stdout:
                return 1
            return 0
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Runs one server scenario of the official MCP conformance suite against
`orchestrator serve tests/serve/conformance.orch --http 127.0.0.1:0`.

usage: run_server_conformance.py --binary ORCHESTRATOR --node NODE22 --scenario NAME
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(os.path.dirname(HERE), "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--node", required=True)
    parser.add_argument("--scenario", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="orch-serve-conformance-") as workdir:
        # The server runs in a scratch folder with no configuration: only `std` is used.
        server = subprocess.Popen([os.path.abspath(args.binary), "serve", os.path.join(HERE, "conformance.orch"),
                                   "--http", "127.0.0.1:0"],
                                  cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        try:
            seen = ""
            found = None
            while not found:
                line = server.stderr.readline()
                if not line:
                    break
                seen += line
                found = re.search(r"listening on (\S+)", line)
            if not found:
                print(f"error: serve did not start:\n{seen}{server.stderr.read()}", file=sys.stderr)
                return 1
            argv = [os.path.abspath(args.node), SUITE, "server", "--url", found.group(1), "--scenario", args.scenario,
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

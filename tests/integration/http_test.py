#!/usr/bin/env python3
"""End-to-end tests of the Streamable HTTP transport through the `orchestrator` binary.

Each case starts a real HTTP MCP server on 127.0.0.1 (server-everything's streamableHttp
mode from tests/node_modules, or tests/integration/http_drop_server.mjs, which drops its
event stream and only answers a client that resumes with the right Last-Event-ID), runs
`orchestrator tools … --url URL`, and checks output and exit code.

usage: http_test.py --binary PATH --node PATH CASE
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
EVERYTHING = os.path.join(TESTS, "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js")
DROP_SERVER = os.path.join(HERE, "http_drop_server.mjs")
TIMEOUT = 60


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A child server process; `url` is its MCP endpoint once started."""

    def __init__(self, argv, env=None):
        self.argv = argv
        self.env = env
        self.proc = None
        self.url = None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_everything(node):
    """server-everything takes its port from $PORT and says when it listens on stderr."""
    for _ in range(3):
        port = free_port()
        env = dict(os.environ, PORT=str(port))
        server = Server([node, EVERYTHING, "streamableHttp"], env)
        server.proc = subprocess.Popen(server.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = server.proc.stderr.readline()
            if not line:
                break
            if "listening on port" in line:
                server.url = f"http://127.0.0.1:{port}/mcp"
                # Keep draining stderr so the server never blocks on a full pipe.
                subprocess.Popen(["cat"], stdin=server.proc.stderr, stdout=subprocess.DEVNULL)
                return server
        server.stop()
    sys.exit("error: server-everything did not start listening")


def start_drop_server(node):
    server = Server([node, DROP_SERVER])
    server.proc = subprocess.Popen(server.argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.proc.stdout.readline()
    if not line.startswith("PORT "):
        server.stop()
        sys.exit("error: http_drop_server.mjs did not print its port")
    server.url = f"http://127.0.0.1:{int(line.split()[1])}/mcp"
    return server


def orchestrator(binary, args, cwd):
    proc = subprocess.run([binary] + args, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    print(f"$ orchestrator {' '.join(args)}\n[exit {proc.returncode}]\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}")
    return proc


def expect(condition, what):
    if not condition:
        print(f"FAILED: {what}")
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--node", required=True)
    parser.add_argument("case")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    args.node = os.path.abspath(args.node)
    with tempfile.TemporaryDirectory(prefix=f"orch-http-{args.case}-") as workdir:
        run_case(args, workdir)


def run_case(args, workdir):

    if args.case == "unreachable":
        url = f"http://127.0.0.1:{free_port()}/mcp"
        proc = orchestrator(args.binary, ["tools", "list", "--url", url], workdir)
        expect(proc.returncode == 3, "an unreachable server exits with 3")
        expect(url in proc.stderr, "the error names the url")
        return

    server = start_drop_server(args.node) if args.case == "resume" else start_everything(args.node)
    try:
        if args.case == "list":
            proc = orchestrator(args.binary, ["tools", "list", "--url", server.url], workdir)
            expect(proc.returncode == 0, "tools list exits with 0")
            for tool in ("echo", "get-sum", "trigger-long-running-operation"):
                expect(tool in proc.stdout, f"tools list shows `{tool}`")
        elif args.case == "call":
            proc = orchestrator(args.binary, ["tools", "call", "echo", "--url", server.url, "--arg", "message=hello over http"], workdir)
            expect(proc.returncode == 0, "tools call exits with 0")
            expect("Echo: hello over http" in proc.stdout, "the echo comes back")
            proc = orchestrator(args.binary, ["tools", "call", "get-sum", "--url", server.url, "--arg", "a=2", "--arg", "b=40", "--json"], workdir)
            expect(proc.returncode == 0, "get-sum exits with 0")
            expect("42" in proc.stdout, "2 + 40 is 42")
        elif args.case == "progress":
            proc = orchestrator(args.binary, ["tools", "call", "trigger-long-running-operation", "--url", server.url,
                                              "--arg", "duration=1", "--arg", "steps=4"], workdir)
            expect(proc.returncode == 0, "a long-running call streamed over SSE completes")
            expect("Long running operation completed" in proc.stdout, "its result is printed")
        elif args.case == "resume":
            proc = orchestrator(args.binary, ["tools", "call", "resume_me", "--url", server.url, "--arg", "message=hello"], workdir)
            expect(proc.returncode == 0, "the call succeeds after the dropped stream is resumed")
            expect("resumed after drop-2: hello" in proc.stdout, "resumed with the last event id, after the retry delay")
        else:
            sys.exit(f"error: unknown case `{args.case}`")
    finally:
        server.stop()


if __name__ == "__main__":
    main()

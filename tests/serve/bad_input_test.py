#!/usr/bin/env python3
"""`serve` keeps serving through bad input, over stdio in a temporary project:

  - a JSON-RPC error -32602 for arguments of the wrong type and for an unknown tool;
  - `isError: true` for a workflow that fails;
  - a configured server (a `mock serve` child) killed in the middle of a call: that call
    answers `isError: true`, and later calls (of a workflow using `std`, and a ping) work;
  - garbage on the input line gets a parse error and the session goes on.

usage: bad_input_test.py ORCHESTRATOR
"""
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time

DEADLINE = 30

FIXTURE = """server: {name: slow-mock, version: 1.0.0}
tools:
  slow:
    description: Answers after a long while
    inputSchema: {type: object, properties: {}}
    responses:
      - latency: 20s
        text: too late
"""

WORKFLOWS = """use slow
use std

## Calls a tool that takes twenty seconds
workflow call_slow() -> string {
  let answer = slow.slow()
  return answer.text
}

## Adds one
workflow inc(n: int) -> int {
  return n + 1
}

## Always fails
workflow broken() -> int {
  fail "broken on purpose"
}

## Echoes through std
workflow hello(name: string) -> string {
  let reply = std.echo(message: "hello ${name}")
  return reply.text
}
"""


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def children(pid):
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return found


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="orch-serve-bad-") as work:
        with open(os.path.join(work, "slow.yaml"), "w") as f:
            f.write(FIXTURE)
        with open(os.path.join(work, "orchestrator.yaml"), "w") as f:
            f.write(f"servers:\n  slow:\n    command: {json.dumps(binary)}\n"
                    f"    args: [mock, serve, {json.dumps(os.path.join(work, 'slow.yaml'))}]\n")
        with open(os.path.join(work, "tools.orch"), "w") as f:
            f.write(WORKFLOWS)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH")}
        env["NO_COLOR"] = "1"
        process = subprocess.Popen([binary, "serve", "tools.orch"], cwd=work, env=env, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        answers = queue.Queue()
        threading.Thread(target=lambda: [answers.put(line) for line in process.stdout], daemon=True).start()
        stderr = []
        threading.Thread(target=lambda: [stderr.append(line) for line in process.stderr], daemon=True).start()

        def send(message):
            process.stdin.write((message if isinstance(message, str) else json.dumps(message)) + "\n")
            process.stdin.flush()

        def answer(request_id):
            end = time.time() + DEADLINE
            while time.time() < end:
                try:
                    message = json.loads(answers.get(timeout=0.1))
                except queue.Empty:
                    continue
                if "id" in message and message["id"] == request_id:
                    return message
            fail(f"no answer to request {request_id}; stderr:\n{''.join(stderr)}")

        def call(request_id, name, arguments):
            send({"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
                  "params": {"name": name, "arguments": arguments}})
            return answer(request_id)

        send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
        answer(1)
        send({"jsonrpc": "2.0", "method": "notifications/initialized"})

        wrong = call(2, "inc", {"n": "one"})
        if wrong.get("error", {}).get("code") != -32602 or "`n`" not in wrong["error"]["message"]:
            fail(f"wrong argument type: {wrong}")
        unknown = call(3, "incr", {"n": 1})
        if unknown.get("error", {}).get("code") != -32602 or "did you mean `inc`" not in unknown["error"]["message"]:
            fail(f"unknown tool: {unknown}")
        broken = call(4, "broken", {})
        if broken.get("result", {}).get("isError") is not True or "broken on purpose" not in broken["result"]["content"][0]["text"]:
            fail(f"failing workflow: {broken}")
        send("{this is not json")
        parse_error = answer(None)
        if parse_error.get("error", {}).get("code") != -32700:
            fail(f"garbage line: {parse_error}")

        # Kill the configured server in the middle of a call.
        send({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "call_slow", "arguments": {}}})
        end = time.time() + DEADLINE
        victims = []
        while not victims and time.time() < end:
            victims = children(process.pid)
            time.sleep(0.05)
        if not victims:
            fail("the configured server was never started")
        time.sleep(0.5)  # let the call reach the server
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        killed = answer(5)
        if killed.get("result", {}).get("isError") is not True:
            fail(f"the call whose server died: {killed}")
        print("the killed server's call answered:", killed["result"]["content"][0]["text"])

        if call(6, "inc", {"n": 41}).get("result", {}).get("structuredContent") != {"result": 42}:
            fail("inc after the server died")
        if call(7, "hello", {"name": "Ada"}).get("result", {}).get("content", [{}])[0].get("text") != "hello Ada":
            fail("hello after the server died")
        send({"jsonrpc": "2.0", "id": 8, "method": "ping"})
        if answer(8).get("result") != {}:
            fail("ping after the server died")

        process.stdin.close()
        if process.wait(timeout=DEADLINE) != 0:
            fail(f"serve exited with {process.returncode}; stderr:\n{''.join(stderr)}")
    print("ok: serve kept serving through bad input")
    return 0


if __name__ == "__main__":
    sys.exit(main())

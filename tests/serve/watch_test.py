#!/usr/bin/env python3
"""Hot reload, end to end in a temporary folder:

  serve --watch: an edit to an imported file changes answers without a list change; a new
  workflow sends notifications/tools/list_changed and appears in tools/list; a file that no
  longer checks prints its diagnostics on stderr while the previous version keeps serving;
  fixing it serves the fixed version.
  serve --watch --http: the list change reaches the client on the session's GET stream.
  run --watch: runs again after each change and stops on Ctrl-C with exit 130.

usage: watch_test.py ORCHESTRATOR
"""
import http.client
import json
import os
import re
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time

DEADLINE = 20  # seconds to wait for any one expected event


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Lines:
    """Collects a stream's lines on a thread."""

    def __init__(self, stream):
        self.queue = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.queue.put(line)

    def wait_for(self, predicate, what):
        end = time.time() + DEADLINE
        while time.time() < end:
            try:
                line = self.queue.get(timeout=0.05)
            except queue.Empty:
                continue
            self.seen.append(line)
            if predicate(line):
                return line
        fail(f"timed out waiting for {what}; saw:\n{''.join(map(str, self.seen))}")


class Client:
    def __init__(self, process):
        self.process = process
        self.out = Lines(process.stdout)
        self.next_id = 1
        self.notifications = []

    def send(self, message):
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def request(self, method, params=None):
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or {}})
        while True:
            line = self.out.wait_for(lambda _: True, f"the answer to {method}")
            message = json.loads(line)
            if message.get("id") == request_id:
                if "error" in message:
                    fail(f"{method} failed: {message['error']}")
                return message["result"]
            if "method" in message:
                self.notifications.append(message["method"])

    def wait_notification(self, method):
        if method in self.notifications:
            self.notifications.remove(method)
            return
        self.out.wait_for(lambda line: json.loads(line).get("method") == method, method)

    def tool_names(self):
        return [t["name"] for t in self.request("tools/list")["tools"]]

    def call_text(self, name, arguments):
        return self.request("tools/call", {"name": name, "arguments": arguments})["content"][0]["text"]


def poll(check, what):
    end = time.time() + DEADLINE
    while time.time() < end:
        if check():
            return
        time.sleep(0.05)
    fail(f"timed out waiting for {what}")


def serve_watch(binary, work):
    lib = os.path.join(work, "lib.orch")
    tools = os.path.join(work, "tools.orch")
    write(lib, 'workflow prefix() -> string {\n  return "hello"\n}\n')
    header = 'use std\nimport "lib.orch"\n\n## Greets someone\nworkflow greet(name: string) -> string {\n  return "${prefix()} ${name}"\n}\n'
    write(tools, header)
    process = subprocess.Popen([binary, "serve", "--watch", "tools.orch"], cwd=work, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err = Lines(process.stderr)
    client = Client(process)
    init = client.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                         "clientInfo": {"name": "watch-test", "version": "1"}})
    if init["capabilities"]["tools"].get("listChanged") is not True:
        fail(f"listChanged is not declared: {init}")
    client.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    if client.tool_names() != ["greet"]:
        fail(f"tools at start: {client.tool_names()}")
    if client.call_text("greet", {"name": "Ada"}) != "hello Ada":
        fail("greet before any change")

    # An imported file changes: new answers, same tools.
    write(lib, 'workflow prefix() -> string {\n  return "good morning"\n}\n')
    err.wait_for(lambda line: "same tools" in line, "the reload after editing lib.orch")
    if client.call_text("greet", {"name": "Ada"}) != "good morning Ada":
        fail("greet after editing the imported file")
    if "notifications/tools/list_changed" in client.notifications:
        fail("list_changed sent although the tools did not change")

    # A new workflow: list_changed, then the new tool.
    write(tools, header + '\n## Says goodbye\nworkflow bye(name: string) -> string {\n  return "bye ${name}"\n}\n')
    client.wait_notification("notifications/tools/list_changed")
    if client.tool_names() != ["greet", "bye"]:
        fail(f"tools after adding bye: {client.tool_names()}")

    # A file that no longer checks: diagnostics on stderr, the previous version keeps serving.
    write(tools, header + '\nworkflow bye(name: string) -> string {\n  return 42\n}\n')
    err.wait_for(lambda line: "still serving the previous version" in line, "the refused reload")
    if not any("error[E03" in line for line in err.seen):
        fail("the type error was not reported:\n" + "".join(err.seen))
    if client.call_text("bye", {"name": "Ada"}) != "bye Ada":
        fail("bye after a broken edit")

    # Fixed again: the fixed version serves.
    write(tools, header + '\nworkflow bye(name: string) -> string {\n  return "farewell ${name}"\n}\n')
    poll(lambda: client.call_text("bye", {"name": "Ada"}) == "farewell Ada", "the fixed version")

    process.stdin.close()
    if process.wait(timeout=DEADLINE) != 0:
        fail(f"serve exited with {process.returncode}:\n{''.join(err.seen)}")


def serve_watch_http(binary, work):
    tools = os.path.join(work, "tools.orch")
    write(tools, '## One\nworkflow one() -> int {\n  return 1\n}\n')
    process = subprocess.Popen([binary, "serve", "--watch", "--http", "127.0.0.1:0", "tools.orch"], cwd=work,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = Lines(process.stderr)
    url = re.search(r"listening on http://([^/]+)/mcp", err.wait_for(lambda l: "listening on" in l, "the URL")).group(1)
    host, port = url.rsplit(":", 1)

    def post(body, session=None):
        connection = http.client.HTTPConnection(host, int(port), timeout=DEADLINE)
        headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
        if session:
            headers["Mcp-Session-Id"] = session
        connection.request("POST", "/mcp", json.dumps(body), headers)
        response = connection.getresponse()
        response.read()
        return response

    init = post({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
    session = init.getheader("Mcp-Session-Id")
    post({"jsonrpc": "2.0", "method": "notifications/initialized"}, session)
    stream = http.client.HTTPConnection(host, int(port), timeout=DEADLINE)
    stream.request("GET", "/mcp", headers={"Accept": "text/event-stream", "Mcp-Session-Id": session})
    response = stream.getresponse()
    if response.status != 200 or "text/event-stream" not in response.getheader("Content-Type", ""):
        fail(f"GET stream: {response.status} {response.getheader('Content-Type')}")
    events = Lines(response)
    write(tools, '## One\nworkflow one() -> int {\n  return 1\n}\n\n## Two\nworkflow two() -> int {\n  return 2\n}\n')
    events.wait_for(lambda line: b"notifications/tools/list_changed" in line, "list_changed on the GET stream")
    process.terminate()
    if process.wait(timeout=DEADLINE) != 0:
        fail(f"serve --http exited with {process.returncode}")


def run_watch(binary, work):
    main = os.path.join(work, "main.orch")
    write(main, 'workflow main() -> string {\n  return "first run"\n}\n')
    process = subprocess.Popen([binary, "run", "--watch", "main.orch", "--progress", "none"], cwd=work,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = Lines(process.stdout)
    err = Lines(process.stderr)
    out.wait_for(lambda line: line == "first run\n", "the first run")
    err.wait_for(lambda line: "waiting for a change" in line, "the watch message")
    write(main, 'workflow main() -> string {\n  return "the second run"\n}\n')
    out.wait_for(lambda line: line == "the second run\n", "the run after the change")
    err.wait_for(lambda line: "waiting for a change" in line, "the watch message after the second run")
    process.send_signal(signal.SIGINT)
    if process.wait(timeout=DEADLINE) != 130:
        fail(f"run --watch exited with {process.returncode} after Ctrl-C")


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="orch-serve-watch-") as work:
        serve_watch(binary, work)
    with tempfile.TemporaryDirectory(prefix="orch-serve-watch-http-") as work:
        serve_watch_http(binary, work)
    with tempfile.TemporaryDirectory(prefix="orch-run-watch-") as work:
        run_watch(binary, work)
    print("ok: serve --watch (stdio and HTTP) and run --watch")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Streamable HTTP rules of `orchestrator mock serve --http`: session ids, protocol version
header, GET 405, DELETE ending the session, SSE for a call that is not answered at once,
202 for notifications, foreign Origin refused.

usage: http_protocol_test.py ORCHESTRATOR FIXTURE
"""
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request


def post(url, body, headers=None, method="POST"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")


def main():
    binary, fixture = sys.argv[1:3]
    server = subprocess.Popen([binary, "mock", "serve", fixture, "--http", "127.0.0.1:0"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        url = re.search(r"listening on (http://127\.0\.0\.1:\d+/mcp)", line)
        check(url, f"the URL on stderr, got {line!r}")
        url = url.group(1)
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
        status, headers, body = post(url, init)
        check(status == 200, f"initialize answers 200, got {status}")
        session = headers.get("Mcp-Session-Id")
        check(session and re.fullmatch(r"[0-9a-f]{32}", session), f"a session id, got {session!r}")
        check(json.loads(body)["result"]["protocolVersion"] == "2025-11-25", body)
        sid = {"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"}

        status, _, _ = post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, sid)
        check(status == 202, f"a notification answers 202, got {status}")
        status, _, _ = post(url, {"jsonrpc": "2.0", "id": 2, "method": "ping"})
        check(status == 400, f"no session id answers 400, got {status}")
        status, _, _ = post(url, {"jsonrpc": "2.0", "id": 2, "method": "ping"}, {"Mcp-Session-Id": "nope"})
        check(status == 404, f"an unknown session answers 404, got {status}")
        status, _, body = post(url, {"jsonrpc": "2.0", "id": 2, "method": "ping"},
                               {"Mcp-Session-Id": session, "MCP-Protocol-Version": "1999-01-01"})
        check(status == 400 and "1999-01-01" in body, f"a bad protocol version answers 400, got {status} {body}")
        status, _, _ = post(url, {"jsonrpc": "2.0", "id": 2, "method": "ping"}, {**sid, "Origin": "http://evil.example"})
        check(status == 403, f"a foreign Origin answers 403, got {status}")
        status, _, _ = post(url, None, sid, method="GET")
        check(status == 405, f"GET answers 405, got {status}")

        status, headers, body = post(url, {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                                           "params": {"name": "slow", "arguments": {}}}, sid)
        check(status == 200 and headers.get("Content-Type", "").startswith("text/event-stream"),
              f"a slow call streams SSE, got {status} {headers}")
        events = [json.loads(m) for m in re.findall(r"^data: (.*)$", body, re.MULTILINE)]
        check(events and events[-1]["id"] == 3 and events[-1]["result"]["content"][0]["text"] == "finally", body)

        status, _, body = post(url, b"{oops", sid)
        check(status == 200 and json.loads(body)["error"]["code"] == -32700, f"a parse error, got {status} {body}")

        status, _, _ = post(url, None, sid, method="DELETE")
        check(status in (200, 204), f"DELETE ends the session, got {status}")
        status, _, _ = post(url, {"jsonrpc": "2.0", "id": 4, "method": "ping"}, sid)
        check(status == 404, f"an ended session answers 404, got {status}")
        print("ok")
    finally:
        server.terminate()
        code = server.wait(timeout=10)
        check(code == 0, f"SIGTERM stops the server with exit 0, got {code}")


if __name__ == "__main__":
    main()

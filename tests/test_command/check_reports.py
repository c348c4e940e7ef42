#!/usr/bin/env python3
"""Checks the machine-readable reports of `orchestrator test` structurally:

- TAP: version 13 header, a plan `1..N` matching the test lines, consecutive numbers,
  a YAML block (`---` … `...`) after each `not ok`, `# SKIP` on filtered tests;
- JUnit XML (parsed with xml.etree): testsuites > testsuite > testcase, counts that add
  up, a <failure message=… type=…> per failed test, <skipped/> per filtered one;
- JSON: the same results as the summary counts.

Usage: check_reports.py ORCHESTRATOR FIXTURE_DIR
"""
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

FILES = ["pass.orch", "fail.orch"]
# pass.orch: 5 pass; fail.orch: 1 passes, 4 fail. With the filter, the tests whose
# name contains "a" run; the others are skipped.
EXPECTED = {"passed": 6, "failed": 4, "skipped": 0}


def run(binary, fixtures, *args):
    return subprocess.run([binary, "test", *FILES, *args], cwd=fixtures, capture_output=True, text=True, timeout=60)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def parse_tap(text):
    lines = text.splitlines()
    check(lines[0] == "TAP version 13", f"first line: {lines[0]!r}")
    plan = re.fullmatch(r"1\.\.(\d+)", lines[1])
    check(plan, f"plan line: {lines[1]!r}")
    results = []
    i = 2
    while i < len(lines):
        line = lines[i]
        m = re.fullmatch(r"(not ok|ok) (\d+) - (.+?)( # SKIP .*)?", line)
        if m:
            check(int(m.group(2)) == len(results) + 1, f"test number out of order: {line!r}")
            status = "skipped" if m.group(4) else ("passed" if m.group(1) == "ok" else "failed")
            results.append(status)
            if status == "failed":
                check(lines[i + 1] == "  ---", f"no YAML block after {line!r}")
                end = lines.index("  ...", i + 1)
                block = lines[i + 2:end]
                check(any(b.startswith("  message: ") for b in block), f"no message in {block}")
                i = end
        else:
            check(line.startswith("#") or line.startswith("  "), f"unexpected TAP line {line!r}")
        i += 1
    check(int(plan.group(1)) == len(results), f"plan {plan.group(1)} but {len(results)} test lines")
    return results


def main():
    binary, fixtures = sys.argv[1], Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "report.xml"
        proc = run(binary, fixtures, "--tap", "--junit", str(junit))
        check(proc.returncode == 4, f"--tap exit {proc.returncode}\n{proc.stderr}")
        results = parse_tap(proc.stdout)
        counts = {k: results.count(k) for k in EXPECTED}
        check(counts == EXPECTED, f"TAP counts {counts}")

        root = ET.parse(junit).getroot()
        check(root.tag == "testsuites", root.tag)
        suites = root.findall("testsuite")
        check([s.get("name") for s in suites] == FILES, [s.get("name") for s in suites])
        total = failures = 0
        for suite in suites:
            cases = suite.findall("testcase")
            check(int(suite.get("tests")) == len(cases), "suite tests attribute")
            failed = [c for c in cases if c.find("failure") is not None]
            check(int(suite.get("failures")) == len(failed), "suite failures attribute")
            for c in cases:
                check(c.get("name") and c.get("classname") == suite.get("name"), "testcase name/classname")
                float(c.get("time"))
                int(c.get("line"))
            for c in failed:
                f = c.find("failure")
                check(f.get("message") and f.get("type", "").startswith("E05"), f"failure attributes {f.attrib}")
                check("at fail.orch:" in (f.text or ""), f"failure text {f.text!r}")
            total += len(cases)
            failures += len(failed)
        check(int(root.get("tests")) == total == 10, "testsuites tests")
        check(int(root.get("failures")) == failures == 4, "testsuites failures")

        proc = run(binary, fixtures, "--json", "--filter", "^passes$|sequence")
        check(proc.returncode == 0, f"--json exit {proc.returncode}\n{proc.stderr}")
        report = json.loads(proc.stdout)
        check((report["passed"], report["failed"], report["skipped"]) == (2, 0, 8), report)
        check(sum(t["status"] == "skipped" for t in report["tests"]) == 8, "skipped entries")

        junit_filtered = Path(tmp) / "filtered.xml"
        proc = run(binary, fixtures, "--filter", "sequence", "--junit", str(junit_filtered))
        check(proc.returncode == 0, f"filtered exit {proc.returncode}")
        skipped = ET.parse(junit_filtered).getroot().findall(".//testcase/skipped")
        check(len(skipped) == 9, f"{len(skipped)} skipped testcases")
    print("reports ok")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"FAILED: {e}")
        sys.exit(1)

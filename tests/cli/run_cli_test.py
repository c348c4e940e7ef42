#!/usr/bin/env python3
"""Runs `orchestrator` end to end from `.test` files and compares what it prints.

A test file (see tests/cli/README.md):

    # Free text: what the test shows.
    # ARGS: explain E0002
    # EXIT: 0
    # ENV: FOO=bar -HOME
    # STDIN: one line of input
    --- STDOUT
    expected standard output, verbatim
    --- STDERR
    expected standard error, verbatim

Headers are `# KEY: value` lines before the first section. A missing STDOUT or STDERR
section means that stream must be empty. A section marked `(regex)` is matched as a
Python regular expression against the whole stream instead (kept as written when goldens
are updated). `(no eol)` marks output that does not end with a newline.

Usage:
    run_cli_test.py --binary ORCHESTRATOR [--update] TEST...
    run_cli_test.py --binary ORCHESTRATOR [--update] --help-pins DIR

With --update (or ORCH_UPDATE_GOLDENS=1) the exact sections are rewritten from the actual
output. --help-pins checks that DIR has a pinned `--help` test for the binary and for every
subcommand it lists (recursively), creating missing ones in update mode, and that no pin
is left for a subcommand that no longer exists.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import help_text

HEADER_KEYS = ("ARGS", "EXIT", "ENV", "STDIN", "TIMEOUT")
SECTION_RE = re.compile(r"^--- (STDOUT|STDERR|STDIN)((?: \([a-z ]+\))*)$")
HEADER_RE = re.compile(r"^# ([A-Z]+): ?(.*)$")
DEFAULT_TIMEOUT = 60


class TestFileError(Exception):
    """The .test file itself is malformed."""


@dataclasses.dataclass
class Section:
    name: str
    text: str
    regex: bool = False


@dataclasses.dataclass
class TestCase:
    path: Path
    header_lines: list[str]
    headers: dict[str, str]
    sections: dict[str, Section]

    @property
    def args(self) -> list[str]:
        return shlex.split(self.headers.get("ARGS", ""))

    @property
    def exit_code(self) -> int:
        value = self.headers.get("EXIT", "0").strip()
        if not re.fullmatch(r"\d+", value):
            raise TestFileError(f"{self.path}: `# EXIT: {value}` is not a number")
        return int(value)

    @property
    def timeout(self) -> float:
        return float(self.headers.get("TIMEOUT", DEFAULT_TIMEOUT))

    def stdin(self) -> str:
        if "STDIN" in self.sections:
            return self.sections["STDIN"].text
        if "STDIN" in self.headers:
            return self.headers["STDIN"] + "\n"
        return ""


def parse_test(path: Path) -> TestCase:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header_lines: list[str] = []
    headers: dict[str, str] = {}
    sections: dict[str, Section] = {}
    i = 0
    while i < len(lines) and not SECTION_RE.match(lines[i]):
        line = lines[i]
        header_lines.append(line)
        match = HEADER_RE.match(line)
        if match:
            key, value = match.groups()
            if key not in HEADER_KEYS:
                raise TestFileError(
                    f"{path}:{i + 1}: unknown header `# {key}:`; known headers: "
                    + ", ".join(HEADER_KEYS))
            if key in headers:
                raise TestFileError(f"{path}:{i + 1}: header `# {key}:` given twice")
            headers[key] = value
        elif line and not line.startswith("#"):
            raise TestFileError(
                f"{path}:{i + 1}: expected a `# KEY: value` header, a `#` comment or a "
                f"`--- STDOUT`/`--- STDERR`/`--- STDIN` section, found `{line}`")
        i += 1
    while i < len(lines):
        match = SECTION_RE.match(lines[i])
        assert match
        name, modifiers = match.group(1), match.group(2)
        flags = set(re.findall(r"\(([a-z ]+)\)", modifiers))
        unknown = flags - {"regex", "no eol"}
        if unknown:
            raise TestFileError(f"{path}:{i + 1}: unknown section modifier `({unknown.pop()})`; "
                                "known: `(regex)`, `(no eol)`")
        if name in sections:
            raise TestFileError(f"{path}:{i + 1}: section `--- {name}` given twice")
        i += 1
        body: list[str] = []
        while i < len(lines) and not SECTION_RE.match(lines[i]):
            body.append(lines[i])
            i += 1
        text = "\n".join(body) + ("\n" if body else "")
        # A pattern's own line ends are not part of it (write `\n` to match one).
        if ("no eol" in flags or "regex" in flags) and text.endswith("\n"):
            text = text[:-1]
        sections[name] = Section(name, text, regex="regex" in flags)
    if "STDIN" in sections and "STDIN" in headers:
        raise TestFileError(f"{path}: both `# STDIN:` and `--- STDIN` given; keep one")
    return TestCase(path, header_lines, headers, sections)


def write_test(case: TestCase, actual: dict[str, str]) -> None:
    """Rewrites the exact sections of `case` from `actual`, keeping everything else."""
    out = list(case.header_lines)
    if "STDIN" in case.sections:
        out.append("--- STDIN")
        out.append(case.sections["STDIN"].text.rstrip("\n"))
    for name in ("STDOUT", "STDERR"):
        section = case.sections.get(name)
        if section and section.regex:
            out.append(f"--- {name} (regex)")
            out.append(section.text.rstrip("\n"))
            continue
        text = actual[name]
        if not text:
            continue
        if text.endswith("\n"):
            out.append(f"--- {name}")
            out.append(text[:-1])
        else:
            out.append(f"--- {name} (no eol)")
            out.append(text)
    case.path.write_text("\n".join(out) + "\n", encoding="utf-8")


def build_env(case: TestCase, home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCH_")}
    # Project state (logs, caches) goes to the case's temporary directory, never into the
    # source tree the case runs in.
    env.update({"NO_COLOR": "1", "HOME": home, "TERM": "dumb", "LC_ALL": "C.UTF-8",
                "TZ": "UTC", "ORCH_STORE_DIR": str(Path(home) / ".orchestrator")})
    for item in shlex.split(case.headers.get("ENV", "")):
        if item.startswith("-"):
            env.pop(item[1:], None)
        elif "=" in item:
            key, value = item.split("=", 1)
            env[key] = value
        else:
            raise TestFileError(f"{case.path}: `# ENV:` items are KEY=VALUE or -KEY, found `{item}`")
    return env


def run_case(binary: Path, case: TestCase) -> tuple[int | None, dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="orch-cli-") as tmp:
        args = [a.replace("%tmp", tmp) for a in case.args]
        try:
            proc = subprocess.run([str(binary), *args], cwd=case.path.parent,
                                  input=case.stdin().encode(), capture_output=True,
                                  env=build_env(case, tmp), timeout=case.timeout)
        except subprocess.TimeoutExpired as e:
            def text(b):
                return (b or b"").decode("utf-8", errors="backslashreplace")
            return None, {"STDOUT": text(e.stdout), "STDERR": text(e.stderr)}
        streams = {}
        for name, data in (("STDOUT", proc.stdout), ("STDERR", proc.stderr)):
            text = data.decode("utf-8", errors="backslashreplace")
            text = text.replace(tmp, "$TMP").replace(str(case.path.parent.resolve()), "$DIR")
            streams[name] = text
        return proc.returncode, streams


def compare(case: TestCase, name: str, actual: str) -> str | None:
    """A description of the mismatch of stream `name`, or None when it matches."""
    section = case.sections.get(name)
    if section and section.regex:
        try:
            if re.fullmatch(section.text, actual, re.DOTALL):
                return None
        except re.error as e:
            return f"{name}: the `(regex)` section does not compile: {e}"
        return f"{name} does not match the regular expression\n  {section.text!r}\nactual:\n{actual}"
    expected = section.text if section else ""
    if expected == actual:
        return None
    diff = difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                fromfile=f"expected {name}", tofile=f"actual {name}")
    return "".join(line if line.endswith("\n") else line + "\n\\ no newline at end\n" for line in diff)


def run_test_file(binary: Path, path: Path, update: bool) -> bool:
    try:
        case = parse_test(path)
        expected_exit = case.exit_code
        code, streams = run_case(binary, case)
    except TestFileError as e:
        print(f"error: {e}", file=sys.stderr)
        return False
    ok = True
    command = shlex.join(["orchestrator", *case.args])
    if code is None:
        print(f"FAIL {path}: `{command}` did not finish within {case.timeout:g}s", file=sys.stderr)
        return False
    if code != expected_exit:
        print(f"FAIL {path}: `{command}` exited {code}, expected {expected_exit}", file=sys.stderr)
        ok = False
    if update:
        write_test(case, streams)
        case = parse_test(path)
    for name in ("STDOUT", "STDERR"):
        problem = compare(case, name, streams[name])
        if problem:
            print(f"FAIL {path}: {name} differs for `{command}`\n{problem}", file=sys.stderr)
            ok = False
    if not ok:
        if code != expected_exit:
            for name in ("STDOUT", "STDERR"):
                if streams[name]:
                    print(f"--- actual {name}\n{streams[name]}", file=sys.stderr)
        print("  = help: if the new output is right, rewrite the expected text with\n"
              "          ORCH_UPDATE_GOLDENS=1 ctest --test-dir build -R cli", file=sys.stderr)
    else:
        print(f"ok {path.name}: {command}")
    return ok


def help_pin_name(path: list[str]) -> str:
    return "_".join(path) if path else "orchestrator"


def check_help_pins(binary: Path, directory: Path, update: bool) -> bool:
    """Every command path has DIR/<a_b>.test pinning its --help; no stale pins."""
    try:
        wanted = {help_pin_name(list(path)): list(path) for path in help_text.command_paths(binary)}
    except RuntimeError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return False
    ok = True
    for name, path in sorted(wanted.items()):
        pin = directory / f"{name}.test"
        if pin.exists():
            continue
        command = shlex.join(["orchestrator", *path, "--help"])
        if update:
            pin.write_text(f"# Pins the help of `{' '.join(['orchestrator', *path])}`.\n"
                           f"# ARGS: {shlex.join([*path, '--help'])}\n", encoding="utf-8")
            run_test_file(binary, pin, update=True)
            print(f"created {pin}")
        else:
            print(f"FAIL: `{command}` has no pinned help: {pin} is missing\n"
                  f"  = help: create it with ORCH_UPDATE_GOLDENS=1 ctest --test-dir build -R cli.help, "
                  "review and commit it", file=sys.stderr)
            ok = False
    for pin in sorted(directory.glob("*.test")):
        if pin.stem not in wanted:
            print(f"FAIL: {pin} pins the help of a command that `orchestrator --help` no longer lists\n"
                  "  = help: delete the file", file=sys.stderr)
            ok = False
    if ok:
        print(f"ok: {len(wanted)} commands, each with a pinned --help in {directory}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True, type=Path, help="the orchestrator binary")
    parser.add_argument("--update", action="store_true",
                        help="rewrite expected output (also ORCH_UPDATE_GOLDENS=1)")
    parser.add_argument("--help-pins", type=Path, metavar="DIR",
                        help="check that every command has a pinned --help test in DIR")
    parser.add_argument("tests", nargs="*", type=Path, help=".test files")
    options = parser.parse_args()
    update = options.update or os.environ.get("ORCH_UPDATE_GOLDENS") == "1"
    binary = options.binary.resolve()
    if not binary.is_file():
        print(f"error: no binary at {binary}", file=sys.stderr)
        return 2
    if not options.tests and not options.help_pins:
        print("error: give .test files or --help-pins DIR", file=sys.stderr)
        return 2
    ok = True
    try:
        if options.help_pins:
            ok = check_help_pins(binary, options.help_pins, update) and ok
        for path in options.tests:
            ok = run_test_file(binary, path.resolve(), update) and ok
    except TestFileError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

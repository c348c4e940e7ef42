"""Reads CLI11 `--help` output: the subcommands it lists and the long options it shows.

Shared by the CLI test runner (pinned help of every command) and the man-page checks
(every subcommand has a page that documents every option).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

LONG_OPTION_RE = re.compile(r"(?<![\w-])--[A-Za-z0-9][A-Za-z0-9_-]*")


def help_text(binary: Path, path: list[str]) -> str:
    """Standard output of `orchestrator PATH... --help`; raises on a non-zero exit."""
    proc = subprocess.run([str(binary), *path, "--help"], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "NO_COLOR": "1"})
    if proc.returncode != 0:
        raise RuntimeError(f"`orchestrator {' '.join(path + ['--help'])}` exited {proc.returncode}:\n"
                           f"{proc.stderr}")
    return proc.stdout


def subcommands(text: str) -> list[tuple[str, str]]:
    """(name, one-line description) of each entry of the `Subcommands:` block."""
    entries: list[tuple[str, str]] = []
    inside = False
    for line in text.splitlines():
        if line.rstrip() == "Subcommands:":
            inside = True
        elif inside and not line.strip():
            inside = False
        elif inside and line.startswith("  ") and not line.startswith("   "):
            name, _, description = line.strip().partition(" ")
            entries.append((name, description.strip()))
        elif inside and entries and not entries[-1][1]:
            # A long name pushes the description onto the next, deeper indented line.
            entries[-1] = (entries[-1][0], line.strip())
    return entries


def long_options(text: str) -> list[str]:
    """Every long option (`--name`) in the option column of the help, in order."""
    found: list[str] = []
    for line in text.splitlines():
        if not re.match(r"^  -", line):
            continue
        column = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
        for option in LONG_OPTION_RE.findall(column):
            if option not in found:
                found.append(option)
    return found


def command_paths(binary: Path) -> dict[tuple[str, ...], str]:
    """Every command path (() for the binary itself, ("tools", "list"), ...) → its help."""
    result: dict[tuple[str, ...], str] = {}
    todo: list[tuple[str, ...]] = [()]
    while todo:
        path = todo.pop()
        text = help_text(binary, list(path))
        result[path] = text
        todo.extend(path + (name,) for name, _ in subcommands(text))
    return result

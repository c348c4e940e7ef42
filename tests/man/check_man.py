#!/usr/bin/env python3
"""Checks the man pages in man/ against the binary they document.

    check_man.py lint MAN_DIR
        every page passes `groff -man -ww -z` without a warning, and its .TH names the
        file (`.TH ORCHESTRATOR-EXPLAIN 1` for orchestrator-explain.1)

    check_man.py coverage --binary ORCHESTRATOR MAN_DIR [--update]
        every subcommand listed by `orchestrator --help` has man/orchestrator-SUB.1 with an
        EXIT STATUS section; every long option in the --help of a subcommand (and of its own
        subcommands) appears in its page, the global options in orchestrator.1; and the
        generated subcommand lists of orchestrator.1 match --help (--update, or
        ORCH_UPDATE_GOLDENS=1, rewrites them)

    check_man.py install --build BUILD_DIR MAN_DIR
        `cmake --install BUILD_DIR` into a temporary prefix puts every page in
        share/man/manN and the binary in bin/
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "cli"))
import help_text  # noqa: E402

PAGE_RE = re.compile(r"^[a-z][a-z0-9-]*\.[1-9]$")
IGNORED_OPTIONS = {"--help"}


def pages(man_dir: Path) -> list[Path]:
    return sorted(p for p in man_dir.iterdir() if PAGE_RE.match(p.name))


def plain(roff: str) -> str:
    """Page source with the escapes that hide option names removed (`\\-\\-list` → `--list`)."""
    text = re.sub(r"\\f(\[[A-Z]*\]|[BIRP])", "", roff)
    text = text.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\")
    return text


def lint(man_dir: Path) -> list[str]:
    problems = []
    found = pages(man_dir)
    if not found:
        problems.append(f"no man pages in {man_dir}")
    for page in found:
        proc = subprocess.run(["groff", "-man", "-ww", "-z", str(page)], capture_output=True, text=True)
        if proc.returncode != 0 or proc.stderr:
            problems.append(f"{page.name}: `groff -man -ww -z` reports:\n{proc.stderr.rstrip()}")
        match = re.search(r"^\.TH\s+(\S+)\s+(\S+)", page.read_text(encoding="utf-8"), re.MULTILINE)
        stem, section = page.stem, page.suffix[1:]
        if not match:
            problems.append(f"{page.name}: no `.TH` line")
        elif match.group(1).strip('"') != stem.upper() or match.group(2).strip('"') != section:
            problems.append(f"{page.name}: `.TH {match.group(1)} {match.group(2)}` should be "
                            f"`.TH {stem.upper()} {section}`")
    return problems


def roff_text(text: str) -> str:
    """Escapes one line of plain text for roff."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def generated_blocks(subs: list[tuple[str, str]]) -> dict[str, str]:
    listing = []
    for name, description in subs:
        description = description.rstrip(".")
        listing += [".TP", f".B {name}", f"{roff_text(description)}; see",
                    f".BR orchestrator\\-{name} (1)."]
    see_also = [f".BR orchestrator\\-{name} (1)," for name, _ in subs]
    return {"SUBCOMMANDS": "\n".join(listing), "SEE ALSO": "\n".join(see_also)}


def sync_generated(page: Path, blocks: dict[str, str], update: bool) -> list[str]:
    text = page.read_text(encoding="utf-8")
    problems = []
    for name, body in blocks.items():
        pattern = re.compile(rf"(^\.\\\" BEGIN GENERATED {name}\n)(.*?)(^\.\\\" END GENERATED {name}\n)",
                             re.MULTILINE | re.DOTALL)
        match = pattern.search(text)
        if not match:
            problems.append(f"{page.name}: missing the `.\\\" BEGIN/END GENERATED {name}` markers")
            continue
        wanted = body + "\n" if body else ""
        if match.group(2) == wanted:
            continue
        if update:
            text = text[:match.start(2)] + wanted + text[match.end(2):]
            print(f"rewrote the generated {name} list of {page.name}")
        else:
            problems.append(f"{page.name}: the generated {name} list does not match `orchestrator --help`\n"
                            "  = help: rewrite it with ORCH_UPDATE_GOLDENS=1 ctest --test-dir build -R man")
    if update:
        page.write_text(text, encoding="utf-8")
    return problems


def coverage(binary: Path, man_dir: Path, update: bool) -> list[str]:
    problems = []
    paths = help_text.command_paths(binary)
    top = help_text.subcommands(paths[()])
    main_page = man_dir / "orchestrator.1"
    if not main_page.exists():
        return [f"{main_page} is missing"]
    problems += sync_generated(main_page, generated_blocks(top), update)

    def check_options(page: Path, command_path: tuple[str, ...]) -> None:
        source = plain(page.read_text(encoding="utf-8"))
        for option in help_text.long_options(paths[command_path]):
            if option in IGNORED_OPTIONS:
                continue
            if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", source):
                command = " ".join(("orchestrator",) + command_path)
                problems.append(f"{page.name}: `{option}` of `{command} --help` is not documented\n"
                                f"  = help: describe it in man/{page.name} (OPTIONS section)")

    check_options(main_page, ())
    for name, _ in top:
        page = man_dir / f"orchestrator-{name}.1"
        if not page.exists():
            problems.append(f"subcommand `{name}` has no man page: man/{page.name} is missing\n"
                            f"  = help: write it (NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT STATUS, "
                            "EXAMPLES, SEE ALSO); man/orchestrator-explain.1 is a small example")
            continue
        if not re.search(r'^\.SH\s+"?EXIT STATUS"?\s*$', page.read_text(encoding="utf-8"), re.MULTILINE):
            problems.append(f"{page.name}: no `.SH \"EXIT STATUS\"` section (exit codes of the subcommand)")
        for command_path in sorted(p for p in paths if p[:1] == (name,)):
            check_options(page, command_path)
    return problems


def install(build: Path, man_dir: Path) -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory(prefix="orch-install-") as prefix:
        proc = subprocess.run(["cmake", "--install", str(build), "--prefix", prefix],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return [f"`cmake --install {build} --prefix {prefix}` failed:\n{proc.stdout}{proc.stderr}"]
        root = Path(prefix)
        if not (root / "bin" / "orchestrator").is_file():
            problems.append("bin/orchestrator was not installed")
        for page in pages(man_dir):
            installed = root / "share" / "man" / f"man{page.suffix[1:]}" / page.name
            if not installed.is_file():
                problems.append(f"{page.name} was not installed as {installed.relative_to(root)}")
        if shutil.which("man") and (root / "share/man/man1/orchestrator.1").is_file():
            proc = subprocess.run(["man", "-M", str(root / "share" / "man"), "orchestrator"],
                                  capture_output=True, text=True, env={**os.environ, "MANPAGER": "cat",
                                                                         "MANWIDTH": "80"})
            if proc.returncode != 0 or "EXIT STATUS" not in proc.stdout:
                problems.append(f"`man -M PREFIX/share/man orchestrator` does not show the page:\n{proc.stderr}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description="Checks the man pages against the binary.")
    parser.add_argument("mode", choices=["lint", "coverage", "install"])
    parser.add_argument("man_dir", type=Path)
    parser.add_argument("--binary", type=Path, help="the orchestrator binary (coverage)")
    parser.add_argument("--build", type=Path, help="the build directory (install)")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the generated lists of orchestrator.1 (also ORCH_UPDATE_GOLDENS=1)")
    options = parser.parse_args()
    update = options.update or os.environ.get("ORCH_UPDATE_GOLDENS") == "1"
    if options.mode == "lint":
        problems = lint(options.man_dir)
    elif options.mode == "coverage":
        if not options.binary:
            parser.error("coverage needs --binary")
        problems = coverage(options.binary.resolve(), options.man_dir, update)
    else:
        if not options.build:
            parser.error("install needs --build")
        problems = install(options.build, options.man_dir)
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if not problems:
        print(f"ok: man pages pass `{options.mode}`")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

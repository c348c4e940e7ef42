#!/usr/bin/env python3
"""Differential test of the JIT (issue 8): random well-typed programs, run both ways.

    random_programs.py ORCHESTRATOR [--seed N] [--count N] [--keep DIR] [--jit-flag FLAG]

Generates COUNT programs from SEED (the same seed always gives the same programs) out of the
parts native code handles itself: int, number and bool variables, `+ - * / %`, unary minus,
comparisons, `and`/`or`/`not`, `if` expressions and statements, nested `for` loops over
`range`, and int literals near the ends of the 64-bit range, so overflow, division by zero
and negative remainders come up; and, mixed in, what native code hands to the interpreter:
an `any` variable whose kind changes, a list that grows, string building, `map`/`filter`/
`sum` with lambdas, calls of a second workflow, `parallel` blocks, and `try`/`catch` around
failing steps. Each program runs with `run` and with `run FLAG` (default
`--jit`); standard output, standard error and the exit code must be identical. A program
that differs is kept in DIR (default: a temporary folder, removed when nothing differed)
and printed with the two results, and the script exits 1. Programs run in that folder, so
the JIT's object cache (`.orchestrator/`) lives and goes with it. `--jit-flag=--json` shows that it can fail.
python3 is the only dependency.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 60
INT_EDGES = [0, 1, -1, 2, 3, 7, -7, 13, 255, 65536, 2**31, -(2**31), 2**62, -(2**62), 2**63 - 1, -(2**63 - 1)]
NUMBER_LITERALS = ["0.5", "1.5", "-2.25", "3.0", "1e10", "-0.0", "100.125", "1e300"]


class Generator:
    """One random program; `ints`, `numbers` and `bools` are the variables in scope."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ints: list[str] = []
        self.numbers: list[str] = []
        self.bools: list[str] = []
        self.counter = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # --- expressions ---------------------------------------------------------------------

    def int_literal(self) -> str:
        value = self.rng.choice(INT_EDGES) if self.rng.random() < 0.12 else self.rng.randint(-20, 20)
        return str(value) if value >= 0 else f"({value})"

    def int_expr(self, depth: int) -> str:
        r = self.rng.random()
        if depth <= 0 or r < 0.3:
            if self.ints and self.rng.random() < 0.6:
                return self.rng.choice(self.ints)
            return self.int_literal()
        if r < 0.75:
            op = self.rng.choice(["+", "-", "*", "%", "+", "-"])
            return f"({self.int_expr(depth - 1)} {op} {self.int_expr(depth - 1)})"
        if r < 0.8:
            return f"-{self.int_expr(depth - 1)}"
        if r < 0.82:
            return f"step(a: {self.int_expr(depth - 1)}, b: {self.int_expr(depth - 1)})"
        if r < 0.85:
            x = self.fresh("x")
            low = self.rng.randint(-5, 5)
            body = f"{x} * {self.int_literal()} + {self.int_expr(0)}"
            if self.rng.random() < 0.5:
                return f"sum(range({low}, {low + self.rng.randint(0, 9)}) | map({x} => {body}))"
            return f"len(range({low}, {low + 9}) | filter({x} => {x} % {self.rng.randint(1, 4)} == 0))"
        return f"(if {self.bool_expr(depth - 1)} then {self.int_expr(depth - 1)} else {self.int_expr(depth - 1)})"

    def number_expr(self, depth: int) -> str:
        r = self.rng.random()
        if depth <= 0 or r < 0.25:
            if self.numbers and self.rng.random() < 0.6:
                return self.rng.choice(self.numbers)
            return self.rng.choice(NUMBER_LITERALS)
        if r < 0.45:
            return f"({self.int_expr(depth - 1)} / {self.int_expr(depth - 1)})"
        if r < 0.8:
            op = self.rng.choice(["+", "-", "*", "/"])
            left, right = self.number_expr(depth - 1), self.int_expr(depth - 1)
            if self.rng.random() < 0.5:
                left, right = right, left
            return f"({left} {op} {right})"
        if r < 0.9:
            return f"-{self.number_expr(depth - 1)}"
        return f"(if {self.bool_expr(depth - 1)} then {self.number_expr(depth - 1)} else {self.number_expr(depth - 1)})"

    def numeric_expr(self, depth: int) -> str:
        return self.int_expr(depth) if self.rng.random() < 0.6 else self.number_expr(depth)

    def bool_expr(self, depth: int) -> str:
        r = self.rng.random()
        if depth <= 0 or r < 0.2:
            if self.bools and self.rng.random() < 0.6:
                return self.rng.choice(self.bools)
            return self.rng.choice(["true", "false"])
        if r < 0.6:
            op = self.rng.choice(["<", "<=", ">", ">=", "==", "!="])
            return f"({self.numeric_expr(depth - 1)} {op} {self.numeric_expr(depth - 1)})"
        if r < 0.85:
            op = self.rng.choice(["and", "or", "==", "!="])
            return f"({self.bool_expr(depth - 1)} {op} {self.bool_expr(depth - 1)})"
        return f"(not {self.bool_expr(depth - 1)})"

    # --- statements ----------------------------------------------------------------------

    def declare(self, indent: str, out: list[str]) -> None:
        kind = self.rng.choice(["int", "int", "number", "bool"])
        name = self.fresh(kind[0])
        init = {"int": self.int_expr, "number": self.number_expr, "bool": self.bool_expr}[kind](2)
        out.append(f"{indent}var {name}: {kind} = {init}")
        {"int": self.ints, "number": self.numbers, "bool": self.bools}[kind].append(name)

    def assign(self, indent: str, out: list[str]) -> None:
        choices = [(v, "int") for v in self.ints if v[0] not in "kp"]
        choices += [(v, "number") for v in self.numbers] + [(v, "bool") for v in self.bools]
        if not choices:
            return self.declare(indent, out)
        name, kind = self.rng.choice(choices)
        value = {"int": self.int_expr, "number": self.number_expr, "bool": self.bool_expr}[kind](3)
        out.append(f"{indent}{name} = {value}")

    def mixed(self, indent: str, out: list[str]) -> None:
        """A step on the program's `any`, list or string variable."""
        r = self.rng.random()
        if r < 0.4:
            value = self.rng.choice([self.int_expr(2), self.number_expr(2), self.bool_expr(1), '"s"', "null",
                                     "[1, 2]", "{ a: 1 }"])
            out.append(f"{indent}anything = {value}")
        elif r < 0.7:
            out.append(f"{indent}items = items + [{self.int_expr(2)}]")
        else:
            out.append(f'{indent}text = text + "${{{self.numeric_expr(1)}}},"')

    def block(self, indent: str, depth: int, out: list[str]) -> None:
        scope = (len(self.ints), len(self.numbers), len(self.bools))
        for _ in range(self.rng.randint(1, 4) + (3 if depth == 3 else 0)):
            r = self.rng.random()
            if r < 0.2:
                self.declare(indent, out)
            elif r < 0.45 or depth <= 0:
                self.assign(indent, out)
            elif r < 0.6:
                self.mixed(indent, out)
            elif r < 0.63:
                out.append(f"{indent}parallel {{")
                names = [self.fresh("p") for _ in range(self.rng.randint(2, 3))]
                for name in names:
                    out.append(f"{indent}  let {name} = {self.int_expr(2)}")
                out.append(f"{indent}}}")
                self.ints.extend(names)
            elif r < 0.68:
                out.append(f"{indent}try {{")
                self.block(indent + "  ", depth - 1, out)
                out.append(f"{indent}}} catch e {{")
                out.append(f"{indent}  caught = caught + [e.message]")
                out.append(f"{indent}}}")
            elif r < 0.82:
                out.append(f"{indent}if {self.bool_expr(2)} {{")
                self.block(indent + "  ", depth - 1, out)
                if self.rng.random() < 0.5:
                    out.append(f"{indent}}} else {{")
                    self.block(indent + "  ", depth - 1, out)
                out.append(f"{indent}}}")
            else:
                loop_var = self.fresh("k")
                low = self.rng.randint(-5, 5)
                high = low + self.rng.randint(0, 25)
                out.append(f"{indent}for {loop_var} in range({low}, {high}) {{")
                self.ints.append(loop_var)
                self.block(indent + "  ", depth - 1, out)
                self.ints.remove(loop_var)
                out.append(f"{indent}}}")
        # Variables declared inside a nested block go out of scope with it.
        if indent != "  ":
            del self.ints[scope[0]:]
            del self.numbers[scope[1]:]
            del self.bools[scope[2]:]

    def program(self) -> str:
        low, scale = self.rng.randint(-3, 3), self.rng.choice([2, 3, -5, 7])
        out = ["workflow step(a: int, b: int) -> int {", f"  var acc = a + {low}",
               f"  for j in range(0, b % 7) {{", f"    acc = acc * {scale} + j", "  }", "  return acc - b", "}", "",
               "workflow main() {", "  var anything: any = 0", "  var items: [int] = []", '  var text = ""',
               "  var caught: [string] = []"]
        for _ in range(self.rng.randint(2, 4)):
            self.declare("  ", out)
        self.block("  ", 3, out)
        top = self.ints + self.numbers + self.bools
        top += ["anything", "items", "text", "caught"]
        out.append(f"  return {{ {', '.join(top)} }}")
        out.append("}")
        return "\n".join(out) + "\n"


def run(binary: str, program: Path, flag: str | None) -> tuple[str, str, int]:
    command = [binary, "run"] + ([flag] if flag else []) + [str(program)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, cwd=program.parent)
    except subprocess.TimeoutExpired:
        return "", f"timed out after {TIMEOUT_SECONDS} s", -1
    return done.stdout, done.stderr, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("orchestrator")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--jit-flag", default="--jit")
    args = parser.parse_args()
    # Programs run in their own folder, so a relative path to the binary must be made absolute.
    if "/" in args.orchestrator:
        args.orchestrator = str(Path(args.orchestrator).resolve())
    folder = args.keep or Path(tempfile.mkdtemp(prefix="orch-jit-random-"))
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    failures = 0
    outcomes = {"ok": 0, "failed": 0, "rejected": 0}
    for index in range(args.count):
        source = Generator(rng).program()
        program = folder / f"random_{args.seed}_{index}.orch"
        program.write_text(source)
        interpreted = run(args.orchestrator, program, None)
        compiled = run(args.orchestrator, program, args.jit_flag)
        kind = "ok" if interpreted[2] == 0 else "rejected" if interpreted[2] == 2 else "failed"
        outcomes[kind] += 1
        if interpreted == compiled:
            program.unlink()
            continue
        failures += 1
        print(f"DIFFERENT: {program}\n{source}")
        for label, (out, err, code) in (("interpreter", interpreted), (args.jit_flag, compiled)):
            print(f"--- {label}: exit {code}\n{out}{err}")
    print(f"{args.count} programs (seed {args.seed}): {outcomes['ok']} ran, {outcomes['failed']} failed at run time, "
          f"{outcomes['rejected']} rejected by the checker; {failures} differed")
    if not failures and not args.keep:
        shutil.rmtree(folder)
    # Programs the checker rejects test nothing; programs that all fail, or never fail, test
    # only half of what native code must get right.
    if outcomes["rejected"] > args.count // 10:
        print("too many programs were rejected by the checker: the generator is out of step with the language")
        return 1
    if args.count >= 20 and (outcomes["ok"] < args.count // 4 or outcomes["failed"] == 0):
        print("the programs should mostly run and sometimes fail: the generator is out of balance")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

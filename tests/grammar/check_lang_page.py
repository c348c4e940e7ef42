#!/usr/bin/env python3
"""Fails when orchestrator-lang(7) misses a reserved word, duration unit, built-in type or
built-in function of the token tables, so the language reference cannot fall behind them.

    check_lang_page.py TOKENS_DEF BUILTINS_DEF LANG_PAGE
"""
import re
import sys


def main() -> int:
    tokens, builtins, page = (open(p, encoding="utf-8").read() for p in sys.argv[1:4])
    text = re.sub(r"\\f(\[[A-Z]*\]|[BIRP])", "", page).replace("\\-", "-").replace("\\&", "").replace("\\e", "\\")
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    wanted = []
    wanted += [("reserved word", m) for m in re.findall(r'^ORCH_KEYWORD\(\w+,\s*"([^"]+)"', tokens, re.M)]
    wanted += [("duration unit", m) for m in re.findall(r'^ORCH_DURATION_UNIT\(\w+,\s*"([^"]+)"', tokens, re.M)]
    wanted += [("type", m) for m in re.findall(r'^ORCH_TYPE_NAME\(\w+,\s*"([^"]+)"', tokens, re.M)]
    wanted += [("built-in", m) for m in re.findall(r'^ORCH_(?:TEST_)?BUILTIN\(\w+,\s*"([^"]+)"', builtins, re.M)]
    wanted += [("transport", m) for m in re.findall(r'^ORCH_TRANSPORT\(\w+,\s*"([^"]+)"', builtins, re.M)]
    wanted += [("call policy", m) for m in re.findall(r'^ORCH_CALL_POLICY\(\w+,\s*"([^"]+)"', builtins, re.M)]
    missing = [f"{kind} `{name}`" for kind, name in wanted if name not in words]
    if not wanted:
        print("FAIL: no table rows found", file=sys.stderr)
        return 1
    if missing:
        print("FAIL: orchestrator-lang(7) does not mention: " + ", ".join(missing), file=sys.stderr)
        print("  = help: document them in man/orchestrator-lang.7", file=sys.stderr)
        return 1
    print(f"ok: all {len(wanted)} table entries are documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes tests/route/data/*-train.json and *-heldout.json: each labelled request set split
in two by the same hash `orchestrator route tune --train 0.5` uses (64-bit FNV-1a of the
request id, modulo 1000003, below half goes to training)."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "tests" / "route" / "data"


def fnv1a(text: str) -> int:
    h = 1469598103934665603
    for byte in text.encode():
        h ^= byte
        h = (h * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def main() -> None:
    for name in ("azure-queries", "metatool-queries"):
        queries = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
        train = [q for q in queries if (fnv1a(q["id"]) % 1000003) / 1000003.0 < 0.5]
        held = [q for q in queries if (fnv1a(q["id"]) % 1000003) / 1000003.0 >= 0.5]
        for suffix, part in (("train", train), ("heldout", held)):
            (DATA / f"{name}-{suffix}.json").write_text(json.dumps(part, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"{name}: {len(train)} training, {len(held)} held out")


if __name__ == "__main__":
    main()

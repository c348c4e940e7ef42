#!/usr/bin/env python3
"""Writes N records {id, name, tags[], price, qty} as one JSON array (deterministic).

usage: gen_records.py N OUT.json   (500000 records ≈ 50 MB)
"""
import json
import random
import sys

TAGS = ["audio", "books", "garden", "kitchen", "music", "office", "outdoor", "sports", "tools", "toys"]


def main() -> None:
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    with open(out, "w") as f:
        f.write("[")
        for i in range(n):
            if i:
                f.write(",")
            record = {
                "id": i,
                "name": f"item-{i:07d}-" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12)),
                "tags": rng.sample(TAGS, rng.randint(1, 4)),
                "price": round(rng.uniform(1, 100), 2),
                "qty": rng.randint(1, 20),
            }
            f.write(json.dumps(record, separators=(",", ":")))
        f.write("]\n")


if __name__ == "__main__":
    main()

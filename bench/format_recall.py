#!/usr/bin/python3
"""Recall of every rule on many fresh values of its own format, as a bulk scan sees them.

For each non-raw spec in tests/corpus/specs, writes N values of its token template (one
`NAME=value` line each) into one file per rule, scans the folder with the given binary (267 files:
a bulk scan, with the Hyperscan prefilter and line windows) and prints every rule that did not
report all N, with the first value it missed (put that value in a pack's examples and
`secretscan rules check` says which step dropped it).

    bench/format_recall.py BINARY [N]      # N = 1000; needs python3-yaml

It finds what ten samples per rule cannot: entropy floors above a format's low tail, placeholder
words that random tokens contain now and then, and engine bugs that drop the last line of a window.
"""
import collections
import json
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "corpus"))
import generate  # noqa: E402  (the corpus generator's template expansion)


def main():
    binary, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    spec_dir = os.path.join(ROOT, "tests", "corpus", "specs")
    rules = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = os.path.join(tmp, "files")
        os.mkdir(files)
        for fn in sorted(os.listdir(spec_dir)):
            with open(os.path.join(spec_dir, fn)) as f:
                for spec in yaml.safe_load(f) or []:
                    if spec.get("raw"):
                        continue
                    name = generate.snake((spec.get("names") or ["SECRET"])[0]).upper()
                    values = [generate.expand(spec["token"]) for _ in range(n)]
                    rules[spec["rule"]] = values
                    with open(os.path.join(files, spec["rule"] + ".env"), "w") as out:
                        out.writelines(f"{name}={v}\n" for v in values)
        report = os.path.join(tmp, "out.jsonl")
        subprocess.run([binary, "--format", "jsonl", "-o", report, "--exit-zero", "-q", "scan", files], check=True)
        found = collections.defaultdict(set)
        with open(report) as f:
            for line in f:
                x = json.loads(line)
                rule = os.path.basename(x["path"])[:-4]
                if x["rule_id"] == rule:
                    found[rule].add(x["line"])
    total = sum(len(v) for v in rules.values())
    hits = sum(len(found[r]) for r in rules)
    print(f"{hits}/{total} values found ({100.0 * hits / total:.4f} %), {len(rules)} rules, {n} values each")
    for rule, values in sorted(rules.items()):
        missed = [i for i in range(1, len(values) + 1) if i not in found[rule]]
        if missed:
            print(f"{rule}: {len(values) - len(missed)}/{len(values)}; first missed: {values[missed[0] - 1]}")
    return 0 if hits == total else 1


if __name__ == "__main__":
    sys.exit(main())

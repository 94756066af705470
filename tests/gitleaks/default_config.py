#!/usr/bin/python3
"""Loads gitleaks' own default configuration (config/gitleaks.toml of github.com/gitleaks/gitleaks)
through `secretscan --rules` and reports how many of its rules load and run (issue 12, item 3).

    python3 tests/gitleaks/default_config.py SECRETSCAN_BINARY CACHE_FILE [CORPUS]

The configuration is never committed here: it is read from $GITLEAKS_DEFAULT_CONFIG when set,
else from CACHE_FILE, else downloaded into CACHE_FILE from the Go module proxy (the newest
gitleaks v8 module). Exit 77 (a skipped test) when none of these gives it, saying why.

Checks: every [[rules]] table with a regex loads (the count `rules list` gives equals the count
in the file, parsed here with Python's tomllib); the ones that do not load are those without a
regex, each named on stderr; the rules then run over the accuracy corpus's texts (CORPUS,
tests/corpus/corpus.jsonl) and over gitleaks' own README without an error (exit 0 or 1), and the
rules that report something are counted.
"""
import io
import json
import os
import subprocess
import sys
import tempfile
import tomllib
import urllib.request
import zipfile

PROXY = "https://proxy.golang.org/github.com/zricethezav/gitleaks/v8/@v/"


def semver_key(v):
    return tuple(int(p) if p.isdigit() else 0 for p in v.lstrip("v").split("-")[0].split("."))


def download(cache):
    with urllib.request.urlopen(PROXY + "list", timeout=30) as r:
        versions = [v for v in r.read().decode().split() if "-" not in v]
    version = max(versions, key=semver_key)
    with urllib.request.urlopen(PROXY + version + ".zip", timeout=60) as r:
        z = zipfile.ZipFile(io.BytesIO(r.read()))
    data = z.read(f"github.com/zricethezav/gitleaks/v8@{version}/config/gitleaks.toml")
    os.makedirs(os.path.dirname(os.path.abspath(cache)), exist_ok=True)
    with open(cache, "wb") as f:
        f.write(data)
    print(f"downloaded gitleaks {version}'s config/gitleaks.toml from the Go module proxy")


def config_file(cache):
    if os.environ.get("GITLEAKS_DEFAULT_CONFIG"):
        return os.environ["GITLEAKS_DEFAULT_CONFIG"]
    if not os.path.exists(cache):
        try:
            download(cache)
        except Exception as e:  # no network: the test cannot run, and says so
            print(f"SKIPPED: gitleaks' default configuration is not available ({e}); "
                  "set GITLEAKS_DEFAULT_CONFIG to its path", file=sys.stderr)
            sys.exit(77)
    return cache


def write_corpus(corpus, into):
    n = 0
    with open(corpus) as f:
        for line in f:
            sample = json.loads(line)
            path = os.path.join(into, f"{n:05d}", sample["path"])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as out:
                out.write(sample["text"])
            n += 1
    return n


def main():
    binary, cache = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, "..", "corpus", "corpus.jsonl")
    cfg = config_file(cache)
    with open(cfg, "rb") as f:
        rules = tomllib.load(f).get("rules", [])
    with_regex = [r["id"] for r in rules if r.get("regex")]
    without = [r["id"] for r in rules if not r.get("regex")]
    listed = subprocess.run([binary, "--no-builtin", "--rules", cfg, "rules", "list", "--format", "json"],
                            capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    loaded = [r["id"] for r in json.loads(listed.stdout)]
    print(f"gitleaks' default configuration: {len(rules)} rules, {len(loaded)} load")
    assert sorted(loaded) == sorted(with_regex), set(with_regex) ^ set(loaded)
    for rid in without:
        expected = f"rule {rid}: a rule without a regex (one that reports a file by its path alone) is not supported"
        assert expected in listed.stderr, listed.stderr
        print(f"not loaded: {rid} (no regex: a rule that reports a file by its path alone)")
    with tempfile.TemporaryDirectory() as d:
        texts = write_corpus(corpus, d)
        scan = subprocess.run([binary, "--no-builtin", "--rules", cfg, "--format", "json", "--threads", "2", "scan", d],
                              capture_output=True, text=True)
        assert scan.returncode in (0, 1), scan.stderr
        found = json.loads(scan.stdout)["findings"]
        ran = sorted({f["rule_id"] for f in found})
    print(f"ran over {texts} corpus texts: {len(found)} findings from {len(ran)} of its rules")
    assert len(ran) >= 10, ran  # a scan where gitleaks' rules find nothing would mean they do not run


if __name__ == "__main__":
    main()

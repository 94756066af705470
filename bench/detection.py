#!/usr/bin/python3
"""Helper of bench/detection.sh: writes the corpus out as files, then scores each tool's report.

    bench/detection.py materialise CORPUS SAMPLES_DIR
    bench/detection.py report CORPUS RUN_DIR [--list TOOL]
    bench/detection.py check CORPUS RUN_DIR MIN_RECALL MIN_CATEGORY MAX_FP

CORPUS is a labelled JSON Lines corpus in either of two shapes:
  tests/corpus/leaks.jsonl   (issue 11; written by tests/corpus/leaks.py) `category`, and a list
                             `secrets` of {line, column, end_line, end_column, what}
  tests/corpus/corpus.jsonl  (docs: tests/corpus/generate.py) `family`, and one secret given by
                             top-level line/column/end_line/end_column
Sample number i (0-based, corpus order) is written to SAMPLES_DIR/NNNNN/<its path>.

`check` exits 1, saying why, unless secretscan's recall is at least MIN_RECALL percent overall
and MIN_CATEGORY in every category, and at most MAX_FP percent of negative samples have a
finding (the test suite's `leaks-corpus` test).

RUN_DIR holds samples/ and results/: for each tool, TOOL.out (its report), TOOL.time (wall
seconds) and TOOL.version, or TOOL.missing (why it did not run). A tool that ran but left no
readable report is shown as failed.

Matching is at line level for every tool: a finding covers lines [start, end] (end = start when
the tool gives one line); a planted secret is found when a finding in its sample overlaps the
secret's [line, end_line]; a negative sample with any finding is a false positive of its class;
a finding in a positive sample that overlaps no planted secret is an extra.
"""
import collections
import json
import os
import sys

TOOLS = ["secretscan", "gitleaks", "kingfisher", "detect-secrets", "credsweeper"]


# ---------------------------------------------------------------- corpus

def load_corpus(path):
    with open(path, encoding="utf-8") as f:
        return [normalise(json.loads(line)) for line in f if line.strip()]


def normalise(row):
    """One shape for both corpus formats: id, label, category, path, text, secrets [(line, end)]."""
    category = row.get("category") or row.get("family")
    if row["label"] != "positive":
        secrets = []
    elif "secrets" in row:
        secrets = [(s["line"], s["end_line"]) for s in row["secrets"]]
    else:
        secrets = [(row["line"], row["end_line"])]
    return {"id": row["id"], "label": row["label"], "category": category,
            "path": row["path"], "text": row["text"], "secrets": secrets}


def sample_dir(index):
    return f"{index:05d}"


def materialise(corpus, samples_dir):
    for i, row in enumerate(load_corpus(corpus)):
        parts = row["path"].split("/")
        if row["path"].startswith("/") or ".." in parts:
            sys.exit(f"{row['id']}: path {row['path']!r} leaves its folder")
        dest = os.path.join(samples_dir, sample_dir(i), *parts)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "w", encoding="utf-8", newline="") as out:
            out.write(row["text"])


# ---------------------------------------------------------------- tool reports
# Each parser yields (path as the tool printed it, first line, last line).

def parse_secretscan(text):
    for line in text.splitlines():
        if line.strip():
            x = json.loads(line)
            yield x["path"], x["line"], x.get("end_line") or x["line"]


def parse_gitleaks(text):
    for x in json.loads(text or "[]"):
        yield x["File"], x["StartLine"], x.get("EndLine") or x["StartLine"]


def parse_kingfisher(text):
    report = json.loads(text)
    for x in report.get("findings", []):
        f = x["finding"]
        yield f["path"], f["line"], f["line"]


def parse_detect_secrets(text):
    for path, found in json.loads(text)["results"].items():
        for x in found:
            yield path, x["line_number"], x["line_number"]


def parse_credsweeper(text):
    for candidate in json.loads(text):
        for x in candidate["line_data_list"]:
            yield x["path"], x["line_num"], x["line_num"]


PARSERS = {"secretscan": parse_secretscan, "gitleaks": parse_gitleaks,
           "kingfisher": parse_kingfisher, "detect-secrets": parse_detect_secrets,
           "credsweeper": parse_credsweeper}


# ---------------------------------------------------------------- mapping findings to samples

def sample_of(printed, samples_dir, corpus):
    """The sample index of a path as a tool printed it (relative to samples_dir, where the tools
    run, or absolute; "./" and the like allowed), or None if it names no materialised file."""
    path = os.path.realpath(os.path.join(samples_dir, printed))  # printed may be absolute
    rel = os.path.relpath(path, os.path.realpath(samples_dir))
    head, _, rest = rel.partition(os.sep)
    if not head.isdigit() or int(head) >= len(corpus):
        return None
    index = int(head)
    return index if rest == corpus[index]["path"] else None


def load_findings(tool, run_dir, corpus):
    """{sample index: [(first, last) line]} and the printed paths that named no sample."""
    with open(os.path.join(run_dir, "results", tool + ".out"), encoding="utf-8") as f:
        text = f.read()
    samples_dir = os.path.join(run_dir, "samples")
    spans, unmapped = collections.defaultdict(list), []
    for printed, first, last in PARSERS[tool](text):
        index = sample_of(printed, samples_dir, corpus)
        if index is None:
            unmapped.append(printed)
        else:
            spans[index].append((int(first), int(last)))
    return spans, unmapped


# ---------------------------------------------------------------- scoring

def overlaps(a, b):
    return a[0] <= b[1] and b[0] <= a[1]


def score(corpus, spans):
    """Counts of one tool: found secrets per category, false positives per negative class, extras;
    and the misses, false positives and extras themselves for --list."""
    s = {"found": collections.Counter(), "fp": collections.Counter(), "extras": 0,
         "missed": [], "fps": [], "extra_spans": []}
    for i, row in enumerate(corpus):
        got = spans.get(i, [])
        if row["label"] == "positive":
            score_positive(i, row, got, s)
        elif got:
            s["fp"][row["category"]] += 1
            s["fps"].append((i, got))
    return s


def score_positive(i, row, got, s):
    for secret in row["secrets"]:
        if any(overlaps(f, secret) for f in got):
            s["found"][row["category"]] += 1
        else:
            s["missed"].append((i, secret))
    extra = [f for f in got if not any(overlaps(f, secret) for secret in row["secrets"])]
    s["extras"] += len(extra)
    s["extra_spans"] += [(i, f) for f in extra]


def tool_state(tool, run_dir):
    """("ok", wall seconds), ("missing", reason) or ("failed", reason)."""
    base = os.path.join(run_dir, "results", tool)
    if os.path.exists(base + ".missing"):
        with open(base + ".missing") as f:
            return "missing", f.read().strip()
    if not os.path.exists(base + ".out"):
        return "failed", "no report (its log: results/" + tool + ".log; KEEP=1 keeps it)"
    with open(base + ".time") as f:
        return "ok", float(f.read())


def version_of(tool, run_dir):
    try:
        with open(os.path.join(run_dir, "results", tool + ".version")) as f:
            return f.read().strip()
    except OSError:
        return "version unknown"


def evaluate(tool, run_dir, corpus):
    """The tool's state, detail (seconds or reason) and score (None unless it ran)."""
    state, detail = tool_state(tool, run_dir)
    if state != "ok":
        return state, detail, None
    try:
        spans, unmapped = load_findings(tool, run_dir, corpus)
    except (ValueError, KeyError, TypeError) as e:
        return "failed", f"unreadable report: {type(e).__name__} {e}", None
    s = score(corpus, spans)
    s["findings"] = sum(len(v) for v in spans.values()) + len(unmapped)
    s["unmapped"] = unmapped
    s["seconds"] = detail
    return state, detail, s


# ---------------------------------------------------------------- the table

def pct(part, whole):
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


def print_rows(title, heads, rows, tools, cell):
    """heads: the first two column heads; rows: [(name, n, {tool: score})];
    cell(score, name, n) -> text for a tool that ran."""
    width = max(11, *(len(t) for t in tools))
    print(title)
    print(f"{heads[0]:<14}{heads[1]:>8}" + "".join(f"  {t:>{width}}" for t in tools))
    for name, n, scores in rows:
        cells = [cell(scores[t], name, n) if scores[t] else "n/a" for t in tools]
        print(f"{name:<14}{n:>8}" + "".join(f"  {c:>{width}}" for c in cells))
    print()


def recall_cell(s, category, n):
    found = sum(s["found"].values()) if category == "all" else s["found"][category]
    return pct(found, n) if category != "all" else f"{found} {pct(found, n)}"


def fp_cell(s, cls, n):
    fp = sum(s["fp"].values()) if cls == "all" else s["fp"][cls]
    return f"{fp} {pct(fp, n)}"


def report(corpus, run_dir, tools):
    results = {t: evaluate(t, run_dir, corpus) for t in tools}
    scores = {t: r[2] for t, r in results.items()}
    for t, (state, detail, _) in results.items():
        if state == "ok":
            print(f"{t}: {version_of(t, run_dir)}")
        else:
            print(f"{t}: {'not installed' if state == 'missing' else 'failed'}: {detail}")
    planted, negatives = count_corpus(corpus)
    print(f"\ncorpus: {len(corpus)} samples, {sum(planted.values())} planted secrets, "
          f"{sum(negatives.values())} negative samples\n")
    print_rows("Recall per category (planted secrets found, line level)", ("category", "planted"),
               table_rows(planted, scores), tools, recall_cell)
    print_rows("False positives per negative class (samples with any finding)",
               ("class", "samples"), table_rows(negatives, scores), tools, fp_cell)
    print_totals(scores, tools)


def count_corpus(corpus):
    """Planted secrets per category, samples per negative class."""
    planted, negatives = collections.Counter(), collections.Counter()
    for row in corpus:
        if row["label"] == "positive":
            planted[row["category"]] += len(row["secrets"])
        else:
            negatives[row["category"]] += 1
    return planted, negatives


def table_rows(counts, scores):
    rows = [(c, counts[c], scores) for c in sorted(counts)]
    return rows + [("all", sum(counts.values()), scores)]


def print_totals(scores, tools):
    width = max(11, *(len(t) for t in tools))
    lines = [("findings", lambda s: str(s["findings"])),
             ("unmapped", lambda s: str(len(s["unmapped"]))),
             ("extras", lambda s: str(s["extras"])),
             ("wall time (s)", lambda s: f"{s['seconds']:.2f}")]
    print(f"{'':<22}" + "".join(f"  {t:>{width}}" for t in tools))
    for name, cell in lines:
        cells = [cell(scores[t]) if scores[t] else "n/a" for t in tools]
        print(f"{name:<22}" + "".join(f"  {c:>{width}}" for c in cells))
    print("\nfindings: all reported; unmapped: findings whose path names no sample (should be 0);"
          "\nextras: findings in positive samples on lines with no planted secret.")


# ---------------------------------------------------------------- --list TOOL

def line_text(row, first, last):
    lines = row["text"].split("\n")
    text = " | ".join(lines[first - 1:last]) if 0 < first <= len(lines) else "?"
    return text if len(text) <= 100 else text[:97] + "..."


def show(kind, row, first, last):
    where = f"{row['path']}:{first}"
    print(f"{kind:<5} {row['category']:<14} {row['id']}  {where}  {line_text(row, first, last)}")


def list_tool(corpus, run_dir, tool):
    """Every miss (the secret's lines), false positive and extra (the finding's lines) of a tool."""
    state, detail, s = evaluate(tool, run_dir, corpus)
    if s is None:
        sys.exit(f"{tool}: {'not installed' if state == 'missing' else 'failed'}: {detail}")
    for i, (first, last) in s["missed"]:
        show("MISS", corpus[i], first, last)
    for i, spans in s["fps"]:
        for first, last in spans:
            show("FP", corpus[i], first, last)
    for i, (first, last) in s["extra_spans"]:
        show("EXTRA", corpus[i], first, last)
    for printed in s["unmapped"]:
        print(f"UNMAPPED {printed}")


def check(corpus, run_dir, min_recall, min_category, max_fp):
    """The thresholds of `check`, on secretscan's score: a list of what fails them."""
    state, detail, s = evaluate("secretscan", run_dir, corpus)
    if state != "ok":
        return [f"secretscan {state}: {detail}"]
    planted, negatives = count_corpus(corpus)
    fails = []
    recall = 100.0 * sum(s["found"].values()) / sum(planted.values())
    if recall < min_recall:
        fails.append(f"recall {recall:.1f}% < {min_recall}%")
    for c in sorted(planted):
        r = 100.0 * s["found"][c] / planted[c]
        if r < min_category:
            fails.append(f"category {c}: recall {r:.1f}% < {min_category}%")
    fp = 100.0 * sum(s["fp"].values()) / sum(negatives.values())
    if fp > max_fp:
        fails.append(f"false positives {fp:.2f}% > {max_fp}%")
    return fails


def main(argv):
    if len(argv) == 6 and argv[0] == "check":
        fails = check(load_corpus(argv[1]), argv[2], *(float(a) for a in argv[3:]))
        for f in fails:
            print(f"check failed: {f}")
        sys.exit(1 if fails else 0)
    if len(argv) == 3 and argv[0] == "materialise":
        materialise(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "report":
        report(load_corpus(argv[1]), argv[2], TOOLS)
    elif len(argv) == 5 and argv[0] == "report" and argv[3] == "--list" and argv[4] in TOOLS:
        list_tool(load_corpus(argv[1]), argv[2], argv[4])
    else:
        sys.exit(__doc__.split("\n\n")[1] + f"\nTOOL: one of {', '.join(TOOLS)}")


if __name__ == "__main__":
    main(sys.argv[1:])

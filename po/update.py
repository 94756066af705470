#!/usr/bin/env python3
"""Writes po/secretscan.pot: every message for people in src/ (gettext's xgettext, keywords tr
and trn) and every rule's impact and remediation text in patterns/*.yaml (shown by `secretscan
rules explain`). With --check, writes nothing and exits 1 if a translation in po/*.po has a
msgid that no longer exists (its English changed, so the translation would silently stop
applying) or if po/secretscan.pot is out of date.

Usage: po/update.py [--check]   (from anywhere; needs xgettext from Debian's gettext package)
"""
import pathlib
import subprocess
import sys
import tempfile

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


def po_string(text):
    """A PO string literal for `text`, one source line per text line."""
    esc = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = esc.split("\n")
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if len(parts) == 1:
        return '"' + parts[0] + '"'
    return '""\n' + "\n".join('"' + p + '"' for p in parts)


def rule_texts():
    """(pack:line-less location, text) for every rule impact and remediation, in pack order."""
    seen = {}
    for pack in sorted((ROOT / "patterns").glob("*.yaml")):
        for rule in yaml.safe_load(pack.read_text(encoding="utf-8")).get("rules", []):
            for key in ("impact", "remediation"):
                text = rule.get(key)
                if text and text not in seen:
                    seen[text] = f"patterns/{pack.name} ({rule['id']} {key})"
    return seen


def source_pot():
    # Locations name the file only, so that moving code does not make the catalogue stale.
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "src").rglob("*.cpp"))
    with tempfile.NamedTemporaryFile(suffix=".pot") as out:
        subprocess.run(["xgettext", "--language=C++", "--from-code=UTF-8", "--keyword=tr", "--keyword=trn:1,2",
                        "--omit-header", "--no-wrap", "--sort-by-file", "--add-location=file", "-o", out.name, *sources],
                       cwd=ROOT, check=True)
        return pathlib.Path(out.name).read_text(encoding="utf-8")


def pot_text():
    header = ('# Messages of secretscan for translators (written by po/update.py; do not edit).\n'
              'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
    rules = "".join(f"#: {where}\nmsgid {po_string(text)}\nmsgstr \"\"\n\n" for text, where in rule_texts().items())
    return header + source_pot() + "\n" + rules


def msgids(po_path):
    """The msgids of a PO or POT file, via msgcat's normalised output (handles every form)."""
    out = subprocess.run(["msgcat", "--no-wrap", "--no-location", "--force-po", str(po_path)],
                         check=True, capture_output=True, text=True).stdout
    ids, current, reading = set(), [], False
    for line in out.splitlines() + [""]:
        if line.startswith("msgid "):
            current, reading = [line[6:]], True
        elif reading and line.startswith('"'):
            current.append(line)
        else:
            if reading:
                ids.add("".join(s[1:-1] for s in current))
            reading = False
    ids.discard("")
    return ids


def main():
    pot = ROOT / "po" / "secretscan.pot"
    text = pot_text()
    if "--check" not in sys.argv:
        pot.write_text(text, encoding="utf-8")
        return 0
    problems = []
    if not pot.exists() or pot.read_text(encoding="utf-8") != text:
        problems.append("po/secretscan.pot is out of date: run po/update.py")
    with tempfile.NamedTemporaryFile("w", suffix=".pot", encoding="utf-8") as fresh:
        fresh.write(text)
        fresh.flush()
        known = msgids(fresh.name)
    for po in sorted((ROOT / "po").glob("*.po")):
        for stale in sorted(msgids(po) - known):
            problems.append(f"{po.relative_to(ROOT)}: no message has this msgid any more: {stale[:100]!r}")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

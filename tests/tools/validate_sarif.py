#!/usr/bin/python3
"""Validates a SARIF file against the official SARIF 2.1.0 schema (draft-04) and, with
--github, against what GitHub code scanning accepts on upload (docs.github.com, "SARIF support
for code scanning" and "SARIF results exceed limits"): at most 20 runs, one per tool and
automationDetails category; at most 25,000 results and 25,000 rules per run; at most 20 tags
per rule and 1,000 locations per result; every location with a physical artifact location (a
location with only logical locations rejects the file); security-severity a number from 0 to 10
written as a string; at most 10 MB gzip-compressed.

usage: validate_sarif.py [--github] SCHEMA SARIF_FILE   -> exit 0 when valid; the errors otherwise.
"""
import gzip
import json
import sys

import jsonschema


def github_errors(document, raw):
    errors = []
    runs = document.get("runs", [])
    if len(runs) > 20:
        errors.append("%d runs, more than 20" % len(runs))
    if len(gzip.compress(raw)) > 10 * 1024 * 1024:
        errors.append("more than 10 MB gzip-compressed")
    categories = set()
    for i, run in enumerate(runs):
        category = run.get("automationDetails", {}).get("id", "")
        key = (run["tool"]["driver"]["name"], category.rsplit("/", 1)[0] if "/" in category else category)
        if key in categories:
            errors.append("run %d: a second run of tool %s in category %r" % (i, key[0], key[1]))
        categories.add(key)
        results, rules = run.get("results", []), run["tool"]["driver"].get("rules", [])
        if len(results) > 25000:
            errors.append("run %d: %d results, more than 25,000" % (i, len(results)))
        if len(rules) > 25000:
            errors.append("run %d: %d rules, more than 25,000" % (i, len(rules)))
        for rule in rules:
            props = rule.get("properties", {})
            if len(props.get("tags", [])) > 20:
                errors.append("rule %s: more than 20 tags" % rule["id"])
            if "security-severity" in props:
                severity = props["security-severity"]
                if not isinstance(severity, str) or not 0.0 <= float(severity) <= 10.0:
                    errors.append("rule %s: security-severity %r is not a number from 0 to 10 in a string" % (rule["id"], severity))
        for j, result in enumerate(results):
            locations = result.get("locations", [])
            if len(locations) > 1000:
                errors.append("result %d: more than 1,000 locations" % j)
            for location in locations:
                if "uri" not in location.get("physicalLocation", {}).get("artifactLocation", {}):
                    errors.append("result %d: a location without a physical artifact location" % j)
    return errors


args = sys.argv[1:]
github = args[0] == "--github"
if github:
    args = args[1:]
schema = json.load(open(args[0], encoding="utf-8"))
raw = open(args[1], "rb").read()
document = json.loads(raw)
errors = ["invalid at %s: %s" % ("/".join(str(p) for p in e.path), e.message)
          for e in sorted(jsonschema.Draft4Validator(schema).iter_errors(document), key=lambda e: list(e.path))]
if github:
    errors += github_errors(document, raw)
for error in errors[:5]:
    print(error)
sys.exit(1 if errors else 0)

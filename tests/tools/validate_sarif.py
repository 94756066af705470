#!/usr/bin/python3
"""Validates a SARIF file against the official SARIF 2.1.0 schema (draft-04).

usage: validate_sarif.py SCHEMA SARIF_FILE   -> exit 0 when valid; the first error otherwise.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
document = json.load(open(sys.argv[2], encoding="utf-8"))
errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(document), key=lambda e: list(e.path))
for error in errors[:5]:
    print("invalid at", "/".join(str(p) for p in error.path), ":", error.message)
sys.exit(1 if errors else 0)

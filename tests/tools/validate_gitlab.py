#!/usr/bin/python3
"""Validates a GitLab secret-detection report (--format gitlab) against a JSON schema (draft-07).

usage: validate_gitlab.py SCHEMA REPORT   -> exit 0 when valid; the first errors otherwise.
SCHEMA is tests/tools/gitlab_secret_detection.schema.json: the facts of GitLab's format 15.0.7.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
document = json.load(open(sys.argv[2], encoding="utf-8"))
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.path))
for error in errors[:5]:
    print("invalid at", "/".join(str(p) for p in error.path), ":", error.message)
sys.exit(1 if errors else 0)

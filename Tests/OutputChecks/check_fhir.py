#!/usr/bin/env python3
"""Validates a FHIR Bundle with `fhir.resources` (its R4B models, the R4 line it ships).

    check_fhir.py BUNDLE.json

Prints one JSON line with the count of each resource type; exit 0 when the bundle validates.
"""
import collections
import json
import sys

from fhir.resources.R4B.bundle import Bundle

text = open(sys.argv[1]).read()
try:
    bundle = Bundle.model_validate_json(text) if hasattr(Bundle, "model_validate_json") else Bundle.parse_raw(text)
except Exception as exc:  # the model's validation error, printed for the test
    print(json.dumps({"valid": False, "error": str(exc)[:2000]}))
    sys.exit(1)
counts = collections.Counter(e.resource.__resource_type__ if hasattr(e.resource, "__resource_type__") else type(e.resource).__name__
                             for e in bundle.entry or [])
print(json.dumps({"valid": True, "resources": dict(counts)}))

"""Schemathesis hooks for the contract run (tests/contract/fuzz.py).

Each corrects one thing a generator cannot know and a real client does;
none hides an answer the server gives to a request a client could send.
"""

import itertools
import json
import os
import pathlib
import re

import schemathesis
from schemathesis import GenerationMode

DOCUMENT = json.loads((pathlib.Path(__file__).resolve().parents[2] / "openapi.json").read_text())

_calls = itertools.count()


def header_patterns(case):
    operation = DOCUMENT["paths"][case.operation.path][case.method.lower()]
    return {
        p["name"].lower(): re.compile(p["schema"]["pattern"])
        for p in operation.get("parameters", [])
        if p["in"] == "header" and "pattern" in p.get("schema", {})
    }


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    # Only positive cases (valid by the document) are corrected: a negative
    # case keeps whatever made it invalid, so the server must refuse it.
    meta = getattr(case, "_meta", None)
    if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
        return
    headers = case.headers or {}
    # Schemathesis 4.32's coverage phase sends `0` as a *positive* value of
    # a header whose schema has a pattern `0` does not match (If-Match,
    # X-Org-Id), and then reports the refusal: drop such values.
    patterns = header_patterns(case)
    for name in list(headers):
        pattern = patterns.get(name.lower())
        if pattern and isinstance(headers[name], str) and not pattern.search(headers[name]):
            del headers[name]
    for name in list(headers):
        # A client makes a new Idempotency-Key for each new request; the
        # generator repeats values across different requests, which the
        # server rightly refuses (422, as the IETF draft says).
        if name.lower() == "idempotency-key" and isinstance(headers[name], str):
            headers[name] = f"{headers[name][:200]}-{next(_calls)}"
        # A client names its own org (or none): another org's id is 403,
        # which would stand in for the answer under test on every route.
        # The header's checks are covered by tests/e2e/access.rs.
        if name.lower() == "x-org-id":
            headers[name] = os.environ["CONTRACT_ORG_ID"]
    # A cursor is signed by the server: only ones it handed out are valid,
    # and a generator cannot forge one. Real cursors are paged through by
    # the e2e suite and the SDK smoke tests; here a list starts at the top.
    if case.query and "cursor" in case.query:
        case.query["cursor"] = ""

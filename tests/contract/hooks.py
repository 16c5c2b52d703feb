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


# Rules a JSON Schema cannot state: relations between fields, between a
# request and stored state or the network, or with the clock. A request
# the document calls valid may be refused for one of these, and only for
# these. Each entry: operation (a regular expression), status, problem
# code, the field it names (a regular expression, for 422) and the
# message's start (or None), why.
SEMANTIC = [
    ("[A-Z]+ .*", 413, "payload_too_large", None, None, "the 64 KiB body limit, which a schema cannot state in bytes"),
    ("[A-Z]+ .*", 422, "validation_failed", r"(query\.)?(from|to)", r".*\b(before|after|spans)\b", "`from` not after `to`, within the span the route allows"),
    ("POST .*", 422, "validation_failed", r"project_id", "no such project", "the project must exist"),
    ("POST .*", 422, "validation_failed", r"source_id", "no such source", "the source must exist"),
    ("POST /v1/auth/token", 400, "invalid_grant", None, None, "a refresh token is signed by the server; a generator cannot forge one"),
    ("POST /v1/auth/revoke", 422, "validation_failed", r"issued_before", None, "not in the future (a bound set by the clock)"),
    ("(POST|PUT|PATCH) /v1/keys(/{key_id})?", 422, "validation_failed", r"expires_at", None, "in the future (a bound set by the clock)"),
    ("(PUT|PATCH) /v1/keys/{key_id}", 422, "validation_failed", r"scopes", "a .* key may not carry", "the scopes the stored key's type takes"),
    ("GET /v1/audit", 422, "validation_failed", r"query\.limit", "must be between 1 and 200", "a JSON page holds at most 200 events, a CSV one 5000"),
    ("POST /v1/traces", 422, "validation_failed", r"spans\[\d+\]\.end_time", None, "not before the span's `start_time`"),
    ("(POST|PUT|PATCH) /v1/webhooks(/{webhook_id})?", 422, "validation_failed", r"url", None, "the host must resolve, to public addresses only"),
    ("(POST|PUT|PATCH) /v1/mcp-servers(/{mcp_server_id})?", 422, "validation_failed", r"url", None, "the host must resolve, to public addresses only"),
    ("(POST|PUT|PATCH) /v1/mcp-servers(/{mcp_server_id})?", 422, "validation_failed", r"credential_ref_id", None, "a stored credential of the `token` kind"),
    ("(POST|PUT|PATCH) /v1/mcp-servers(/{mcp_server_id})?", 422, "validation_failed", r"credential_placement\.name", "a header the transport sets itself", "a header the transport sets itself"),
    ("(POST|PUT|PATCH) /v1/orgs/{org_id}/members(/{user_id})?", 422, "validation_failed", r"role", "this organization has no role", "one of the org's roles, which its owner may edit"),
    ("PUT /v1/orgs/{org_id}/data-policy", 422, "validation_failed", r"custom_patterns(\[\d+\]\.(name|pattern))?", None, "a pattern compiles within the size and nesting bounds and matches something; names unique and not a built-in kind's"),
    ("POST /v1/(orgs|projects)", 422, "validation_failed", r"region", "`[a-z0-9-]+` is not served here", "one of the regions the deployment serves (CONTROLPLANE_REGIONS)"),
    ("PUT /v1/orgs/{org_id}/egress-policy", 422, "validation_failed", r"(allow|deny)(\[\d+\])?|regions(\[\d+\])?", None, "hosts are names, addresses or `*.` and a domain with a dot, each listed once; regions need the deployment's range table"),
    ("PUT /v1/orgs/{org_id}/limits", 422, "validation_failed", r"(org|read|write)\.(per_minute|burst)", None, "within five times the org plan's defaults; a burst from a sixtieth of per_minute to per_minute"),
    ("(POST|PUT|PATCH) /v1/schedules(/{schedule_id})?", 422, "validation_failed", r"cron|timezone", None, "each cron field's values and ranges, and an IANA zone's name"),
    ("GET /v1/schedules/preview", 422, "validation_failed", r"query\.(cron|timezone)", None, "each cron field's values and ranges, and an IANA zone's name"),
    ("POST /v1/sources", 422, "validation_failed", r"connector\..+", "(?!missing field|unknown field|invalid type)", "the kind's field rules (docs/api.md)"),
    ("(PUT|PATCH) /v1/sources/{source_id}", 422, "validation_failed", r"connector(\..+)?", None, "the stored kind's configuration"),
    ("(POST|PUT|PATCH) /v1/sources(/{source_id})?", 422, "validation_failed", r"credential_ref_id", None, "a stored credential of a kind the source takes"),
    ("PUT /v1/orgs/{org_id}/tool-prices", 422, "validation_failed", r"prices(\..*)?", None, "tool names without spaces (or `slug.*`), prices from 0 to 100, at most 200"),
    ("POST /v1/plans/estimate", 422, "validation_failed", r"steps\[\d+\]\.(prompt|response)", "give `(prompt|response)`", "each of a model step's prompt and response as text or as tokens, exactly one"),
    ("POST /v1/plans/estimate", 422, "validation_failed", r"steps\[\d+\]\.tool", None, "a tool's name is not blank"),
    ("PUT /v1/exec-profiles/{target}", 422, "validation_failed", r"egress(\.(allow|deny)(\[\d+\])?)?|files(\.(read|write)(\[\d+\])?)?|secrets(\[\d+\])?", None, "a spec compiles for its target: hosts and paths neither over-broad nor contradictory, listed once, and only the hosts, files and secrets the target's code can use"),
    ("POST /v1/plans/{plan_id}/actuals", 422, "validation_failed", r"steps(\[\d+\]\.(prompt_tokens|response_tokens|calls))?", None, "one entry per planned step, each fitting its step's kind"),
]


def operation(op):
    """An entry's operation as a regular expression (`{id}` stands for itself)."""
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"\\{\1\\}", op) + "$")


_RULES = [
    (operation(op), status, code, field and re.compile(f"^{field}$"), message and re.compile(message), why)
    for op, status, code, field, message, why in SEMANTIC
]
# What a valid request may get besides a success or a redirect (and a 5xx,
# which another check reports): Schemathesis' defaults, and 412 — a
# well-formed `If-Match` naming a tag that is not the resource's current
# one is valid and still refused, as HTTP says; a generator cannot know
# the current tag.
EXPECTED = {401, 403, 404, 409, 412, 429}


def semantic_refusal(label, status, problem):
    """Why a refusal is one of SEMANTIC's, or None."""
    rules = [r for r in _RULES if r[0].match(label) and r[1] == status and r[2] == problem.get("code")]
    if not rules:
        return None
    if status != 422:
        return rules[0][5]
    whys = []
    for error in problem.get("errors", []):
        field, message = error.get("field", ""), error.get("message", "")
        why = next((r[5] for r in rules if r[3].match(field) and (r[4] is None or r[4].match(message))), None)
        if why is None:
            return None
        whys.append(why)
    return "; ".join(whys) if whys else None


@schemathesis.check
def valid_requests_accepted(ctx, response, case):
    """Schemathesis' positive_data_acceptance, knowing SEMANTIC's rules."""
    meta = getattr(case, "_meta", None)
    if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
        return None
    if response.status_code in EXPECTED or 200 <= response.status_code < 400 or response.status_code >= 500:
        return None
    try:
        problem = response.json()
    except ValueError:
        problem = {}
    if semantic_refusal(f"{case.method.upper()} {case.operation.path}", response.status_code, problem):
        return None
    raise AssertionError(f"A request the document calls valid was refused with {response.status_code}: {problem}")

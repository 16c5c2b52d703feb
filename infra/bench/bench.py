#!/usr/bin/env python3
"""Cold-start and latency benchmark of every function against three
baselines built in the same run, measured with
../shared/tools/lambda_coldstart.py (a fake Lambda Runtime API on
127.0.0.1): `hello` (lambda_http, no AWS SDK), `sdk-lean` (the SDK at its
leanest: configuration from the environment, one DynamoDB client built on
first use, one GetItem a request) and `sdk-typical` (the default chain and
four clients built at init, one GetItem a request).

Called by infra/bench/run, which builds the release binaries and starts the
AWS emulator. Two configurations:

- production: DynamoDB store and SQS queue through the AWS SDK, pointed at
  the emulator by AWS_ENDPOINT_URL, dummy credentials in the environment;
- embedded: the SQLite store (a file seeded the same way). A function's
  deployed binary has no SQLite (the `sqlite` feature of controlplane is
  off in Lambda builds), so these rows measure its build with that feature
  (target/release/embedded/, built by infra/bench/run); the baselines are
  the same binary in both.

Each row (binary × configuration × event) gets a freshly seeded store, on an
emptied emulator for rows that use it: the emulator's DynamoDB slows down as
its tables grow, which would otherwise bill one row for the rows before it.
For the same reason the production rows that write (POST, the worker's SQS
batch) make fewer warm requests (PRODUCTION_WRITES_WARM).

Each function gets realistic events: an authenticated GET and POST for API
functions (a real org, project and token, seeded through the local server),
an SQS batch for the worker, an EventBridge tick for the reconciler and the
scheduler, a stream record for the publisher. Only the statuses a row
expects count (2xx, or EXPECTED's for events that cannot succeed twice): a
row whose requests were refused (429, 401, ...) breaks the "every request
answered as expected" budget, and the functions run with their rate limits
scaled up so one caller's thousands of requests are not refused.

The budgets are what a user feels, per production row: cold start (init +
first response, less the row's own warm response: a request's store work
is the same cold or warm, and sdk-typical's is one GetItem) and init at
most sdk-typical's, peak RSS within a quarter
of Lambda's smallest memory size, warm p99 within 3 × warm p50, zipped size
within 1.5 × sdk-typical's. Store calls per invoke (first/warm, from
`infra/emulator.py --busy-log`) are printed; the round trips per route are
held by infra/bench/roundtrips.py.

Prints one table, writes it to BENCHMARKS.md (between markers) and exits 1
when a budget is broken.
"""

import argparse
import bisect
import contextlib
import importlib.util
import json
import os
import pathlib
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
RELEASE = pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target") / "release"
TOOL = ROOT.parent / "shared" / "tools" / "lambda_coldstart.py"
SECRET = "bench-jwt-secret-0123456789abcdef0123456789abcdef"
# One caller sends every request of a row (up to --colds × --warm, within a
# minute or two): with the default limits (a free org's caller: 600 reads,
# 120 writes a minute) most would be 429s, fast and off the route's path.
# The limiter still counts and syncs every request.
RATE_LIMIT_SCALE = "10000"
# The account the emulator (moto) puts everything in.
EMULATOR_ACCOUNT = "123456789012"
# What Lambda's environment holds for a provided.al2023 function (its
# documented variables; the tool adds the runtime API, function name, memory
# and version, the row adds region, credentials and configuration). Measured
# processes get this instead of the shell's: a developer machine's
# SSL_CERT_FILE, SSL_CERT_DIR or AWS_PROFILE would make the functions and
# baselines read files they never read on Lambda (an SSL_CERT_FILE naming
# the system bundle cost 1.3 ms on a first request).
LAMBDA_ENV = {
    "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
    "LD_LIBRARY_PATH": "/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib",
    "LANG": "en_US.UTF-8",
    "TZ": ":UTC",
    "LAMBDA_TASK_ROOT": "/var/task",
    "LAMBDA_RUNTIME_DIR": "/var/runtime",
    "_HANDLER": "bootstrap",
    "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
    "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/bench",
    "AWS_LAMBDA_LOG_STREAM_NAME": "2026/01/01/[$LATEST]00000000000000000000000000000000",
}

spec = importlib.util.spec_from_file_location("lambda_coldstart", TOOL)
coldstart = importlib.util.module_from_spec(spec)
spec.loader.exec_module(coldstart)

# binary -> the events it is measured with (files under events/, or built here).
API = {
    "orgs": [("GET", "apigw-orgs-list.json"), ("POST", "apigw-orgs-create.json")],
    "projects": [
        ("GET", "apigw-projects-get.json"),
        ("GET", "apigw-projects-list.json"),
        ("POST", "apigw-projects-create.json"),
    ],
    "audit": [("GET", "apigw-audit-list.json")],
    "keys": [("GET", "apigw-keys-list.json")],
    "jobs": [("GET", "apigw-jobs-list.json")],
    "usage": [("POST", "apigw-usage-check.json")],
    "auth": [("POST", "apigw-auth-token.json")],
    "internal": [("GET", "apigw-internal-health.json")],
    "webhooks": [("GET", "webhooks-list")],
    "sources": [("GET", "sources-list")],
    "schedules": [("GET", "schedules-list")],
    # JSON-RPC over POST: a tools/list only reads (READ_ONLY_POSTS), a
    # tools/call also keeps its audit record.
    "mcp": [("POST", "apigw-mcp-tools-list.json"), ("POST", "apigw-mcp-tools-call.json")],
}
BACKGROUND = {
    "worker": [("SQS", "sqs-jobs.json")],
    "reconciler": [("TICK", "eventbridge-reconcile.json")],
    "scheduler": [("TICK", "eventbridge-reconcile.json")],
    "publisher": [("STREAM", "dynamodb-outbox-insert.json")],
}
BASELINES = {
    "hello": [("GET", "apigw-projects-get.json")],
    "sdk-lean": [("GET", "apigw-projects-get.json")],
    "sdk-typical": [("GET", "apigw-projects-get.json")],
}
# Events that cannot succeed more than once, and the statuses that count as
# answered for them (every other event: 2xx). The bench sends one event
# over and over, and these two create or consume something unique.
EXPECTED = {
    # Same name every time: created once, then 409 name_taken (the route's
    # whole path: validation, credential read, a transaction whose
    # condition fails).
    "apigw-projects-create.json": {201, 409},
    # A refresh token is good once: the exchange (development auth on) of
    # one that is not a token, refused with 400 invalid_grant (RFC 6749).
    "apigw-auth-token.json": {400},
}
# Environment a function needs for its measured event to reach its route.
FUNCTION_ENV = {"auth": {"CONTROLPLANE_DEV_AUTH": "true"}}


def template_adapters():
    """Binary name -> the adapter variables its template.yaml entry sets
    (CONTROLPLANE_QUEUE, _WEBHOOK_QUEUE, _SECRETS, _BLOBS, _EVENTS): each
    function is measured with what it is deployed with, and is built with
    only those adapters (tests/deploy.rs checks the two agree)."""
    functions, block = {}, []

    def flush():
        binary = next((l.split("Binary:", 1)[1].strip() for l in block if l.strip().startswith("Binary:")), None)
        if binary:
            functions[binary] = {l.strip().split(":", 1)[0] for l in block if l.strip().startswith(tuple(ADAPTER_VARS))}
        block.clear()

    for line in (ROOT / "template.yaml").read_text().splitlines():
        if line.startswith("  ") and not line.startswith("   ") and line.rstrip().endswith(":"):
            flush()
        block.append(line)
    flush()
    return functions


ADAPTER_VARS = ("CONTROLPLANE_QUEUE", "CONTROLPLANE_WEBHOOK_QUEUE", "CONTROLPLANE_SECRETS", "CONTROLPLANE_BLOBS", "CONTROLPLANE_EVENTS")


# Warm requests per cold start of a production row that writes on every
# request (WRITES). The emulator's DynamoDB deep-copies every table it
# holds in each transaction, so each write makes the next one slower (10
# cold starts of 50 org creations: 0.6 s p50, 13 s p99, and the last ones
# past the tool's deadline; the worker's batch, 500 a cold start: 98 ms
# p50, a tenth of its requests unanswered at the tool's 60 s). Their warm
# latency is the emulator's anyway (no budget reads it); the first invoke,
# its CPU and peak RSS are what those rows are for.
PRODUCTION_WRITES_WARM = 20
WRITES = {"POST", "SQS"}
# POSTs that write nothing, measured as reads are.
READ_ONLY_POSTS = {"apigw-mcp-tools-list.json"}


def reset_emulator(endpoint):
    """Empties the emulator (moto's reset API) before a row on it, for
    the same reason: no row pays for the tables of the rows before it."""
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=30).read()


def dynamodb(endpoint, operation, body):
    """One DynamoDB call on the emulator (it checks no signature)."""
    req = urllib.request.Request(endpoint, data=json.dumps(body).encode(), method="POST")
    req.add_header("content-type", "application/x-amz-json-1.0")
    req.add_header("x-amz-target", f"DynamoDB_20120810.{operation}")
    req.add_header("authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
    return json.loads(urllib.request.urlopen(req, timeout=30).read() or b"{}")


def seed_baseline_item(endpoint, table, org, project):
    """sdk-typical's GetItem reads `BENCH`/`BENCH`: a copy of the project
    item the functions' GET reads, so the one read it is compared with
    returns the same data (an absent item is less work for the emulator)."""
    item = dynamodb(endpoint, "GetItem", {"TableName": table, "ConsistentRead": True,
                                         "Key": {"pk": {"S": f"T#{org}"}, "sk": {"S": f"PROJECT#{project}"}}})["Item"]
    item = {k: v for k, v in item.items() if not k.startswith("gsi")}
    item.update(pk={"S": "BENCH"}, sk={"S": "BENCH"})
    dynamodb(endpoint, "PutItem", {"TableName": table, "Item": item})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base, method, path, token, body=None, org=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("authorization", f"Bearer {token}")
    req.add_header("content-type", "application/json")
    if org:
        req.add_header("x-org-id", org)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def seed(env):
    """An org with a project, through the local server on the configured
    store; returns (org id, project id, an org-bound token, an `mcp` key's
    token granting every tool)."""
    local = str(RELEASE / "controlplane")
    data = tempfile.mkdtemp(prefix="bench-data-")
    env = dict(env, CONTROLPLANE_DATA_DIR=data, CONTROLPLANE_JWT_SECRET=SECRET)
    port = free_port()
    server = subprocess.Popen([local, "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/internal/health", timeout=2)
                break
            except Exception:
                time.sleep(0.1)
        mint = lambda *extra: subprocess.run([local, "token", "--sub", "bench", "--email", "bench@example.com", "--ttl", "86400", *extra],
                                             env=env, check=True, capture_output=True, text=True).stdout.strip()
        token = mint()
        org = request(base, "POST", "/v1/orgs", token, {"name": "Bench"})["id"]
        project = request(base, "POST", "/v1/projects", token, {"name": "bench"}, org=org)["id"]
        key = {"project_id": project, "name": "agent", "type": "mcp", "scopes": ["mcp:tool:jobs_list"]}
        mcp_key = request(base, "POST", "/v1/keys", token, key, org=org)["token"]
        return org, project, mint("--org", org), mcp_key
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)


def api_event(name, token, org, project):
    """An API Gateway v2 event: a file from events/ with the token (and ids) put in."""
    if name in ("webhooks-list", "sources-list", "schedules-list"):
        path = "/v1/" + name.split("-")[0]
        event = json.loads((ROOT / "events" / "apigw-projects-list.json").read_text())
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
        event["rawQueryString"], event["queryStringParameters"] = "limit=20", {"limit": "20"}
    else:
        event = json.loads((ROOT / "events" / name).read_text())
    text = json.dumps(event).replace("TOKEN_SET_BY_TEST", token).replace("PROJECT_SET_BY_TEST", project).replace("ORG_SET_BY_TEST", org)
    return text.encode()


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else None


class Recorded(coldstart.State):
    """The tool's per-cold-start state, kept: `one_cold` returns only the
    first response, and the bench checks every one succeeded."""

    last = None

    def __init__(self, *args):
        super().__init__(*args)
        Recorded.last = self


coldstart.State = Recorded


def succeeded(path, data, expected=None):
    """An invocation answered as the row expects: a response (not an error)
    and, for API Gateway, a 2xx status (or one of `expected`). A 429 or 401
    is fast and would pass for the route's own latency."""
    if not path.endswith("/response"):
        return False
    try:
        status = json.loads(data).get("statusCode", 200)
    except (ValueError, AttributeError):
        return True
    return status in expected if expected else 200 <= status < 300


@contextlib.contextmanager
def lambda_environment():
    """The tool starts a binary with this process's environment plus the
    row's: for its duration, that environment is LAMBDA_ENV."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(LAMBDA_ENV)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def on_emulator(binary, config):
    """Whether a row's store is the emulator's DynamoDB: production rows,
    and the baselines in both configurations."""
    return config == "production" or binary in BASELINES


def emulator_busy(since):
    """The emulator's service intervals that end after `since`
    (`infra/emulator.py --busy-log`, which `run` turns on), in order: one
    request at a time, so they do not overlap. None without the log."""
    path = os.environ.get("CONTROLPLANE_BENCH_BUSY_LOG")
    if not path or not os.path.exists(path):
        return None
    with open(path) as f:
        pairs = (tuple(map(float, line.split())) for line in f if line.count(" ") == 1)
        return sorted(pair for pair in pairs if pair[1] > since)


def store_calls(state, busy):
    """How many emulator requests began inside each invoke, in the order
    answered (invokes run one at a time, req-1, req-2, …)."""
    starts = [a for a, _ in busy]
    calls = []
    for i, lat in enumerate(state.lat):
        start = state.t_sent.get(f"req-{i + 1}")
        if start is not None:
            calls.append(bisect.bisect_left(starts, start + lat) - bisect.bisect_left(starts, start))
    return calls


def measure(binary, event, env, colds, warm, expected=None):
    inits, firsts, warms, rsss, ok = [], [], [], [], 0
    states = []
    began = time.perf_counter()
    for _ in range(colds):
        with lambda_environment():
            init, first, lat, rss, _, _ = coldstart.one_cold(str(binary), event, warm, env)
        states.append(Recorded.last)
        # The tool stops at `warm` responses; one more can land while it
        # stops the process (its Runtime API hands out the next event).
        answered = sum(succeeded(path, data, expected) for path, data in Recorded.last.responses[:warm])
        if init is not None:
            inits.append(init * 1e3)
        if first is not None:
            firsts.append(first * 1e3)
        warms += [x * 1e6 for x in lat]
        ok += answered
        if rss:
            rsss.append(rss)
    busy = emulator_busy(began)
    calls = [store_calls(state, busy) for state in states] if busy is not None else []
    calls_firsts = [c[0] for c in calls if c]
    return {
        "init_ms_p50": statistics.median(inits) if inits else None,
        "init_ms_p90": percentile(inits, 0.9),
        "first_ms_p50": statistics.median(firsts) if firsts else None,
        "calls_first_p50": statistics.median(calls_firsts) if calls_firsts else None,
        "calls_warm_p50": percentile([x for c in calls for x in c[1:]], 0.5),
        "warm_us_p50": percentile(warms, 0.5),
        "warm_us_p99": percentile(warms, 0.99),
        "rss_kib": statistics.median(rsss) if rsss else None,
        "answered": ok,
        "asked": colds * warm,
    }


def zipped_size(binary):
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "bootstrap.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(binary, "bootstrap")
        return path.stat().st_size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--colds", type=int, default=20)
    ap.add_argument("--warm", type=int, default=500)
    ap.add_argument("--only", help="comma-separated binaries (baselines always run)")
    ap.add_argument("--no-write", action="store_true", help="print, do not update BENCHMARKS.md")
    a = ap.parse_args()

    endpoint = os.environ["AWS_ENDPOINT_URL"]
    base_env = {k: v for k, v in os.environ.items()}
    aws = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "test", "AWS_REGION": "us-east-1"}
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="bench-"))

    deployed = template_adapters()

    def fresh(binary, config, n):
        """The environment `binary` is deployed with, in `config`, on a
        fresh store (the emulator's DynamoDB slows down as its tables grow:
        each row gets its own). The baselines get the production store in
        both: their one GetItem is the work the functions are held to."""
        if on_emulator(binary, config):
            env = dict(aws, CONTROLPLANE_STORE=f"dynamodb://bench-{n}", BENCH_TABLE=f"bench-{n}")
            # One queue (the seeding server creates it) serves as both: no
            # measured event sends a webhook delivery. Named with its owner,
            # as the template names it (the emulator's account): its URL is
            # built, not looked up. Blobs stay on disk
            # (no measured event reads or writes one).
            adapters = {"CONTROLPLANE_QUEUE": f"sqs://{EMULATOR_ACCOUNT}/bench-{n}-jobs", "CONTROLPLANE_WEBHOOK_QUEUE": f"sqs://{EMULATOR_ACCOUNT}/bench-{n}-jobs",
                        "CONTROLPLANE_SECRETS": "secretsmanager://", "CONTROLPLANE_BLOBS": f"file://{scratch / 'blobs'}",
                        "CONTROLPLANE_EVENTS": "eventbridge://default"}
        else:
            db = scratch / f"{n}.db"
            env = dict(CONTROLPLANE_STORE=f"sqlite://{db}", AWS_REGION="us-east-1")
            adapters = {"CONTROLPLANE_QUEUE": f"sqlite://{db}#jobs", "CONTROLPLANE_WEBHOOK_QUEUE": f"sqlite://{db}#webhook-deliveries",
                        "CONTROLPLANE_SECRETS": f"local://{scratch / f'{n}.secrets.db'}", "CONTROLPLANE_BLOBS": f"file://{scratch / 'blobs'}",
                        "CONTROLPLANE_EVENTS": f"file://{scratch / f'{n}.events.jsonl'}"}
        env.update({k: v for k, v in adapters.items() if k in deployed.get(binary, ())})
        return env

    wanted = set(a.only.split(",")) if a.only else None
    targets = dict(BASELINES)
    for group in (API, BACKGROUND):
        targets.update({k: v for k, v in group.items() if wanted is None or k in wanted})
    rows = []
    for binary, events in targets.items():
        for config in ("production", "embedded"):
            path = RELEASE / binary
            if config == "embedded" and binary not in BASELINES:
                path = RELEASE / "embedded" / binary
            if not path.exists():
                print(f"skip {binary} ({config}): {path} not built", file=sys.stderr)
                continue
            for kind, name in events:
                n = len(rows)
                if on_emulator(binary, config):
                    reset_emulator(endpoint)
                writes = kind in WRITES and name not in READ_ONLY_POSTS
                warm = min(a.warm, PRODUCTION_WRITES_WARM) if config == "production" and writes else a.warm
                env = fresh(binary, config, n)
                org, project, token, mcp_key = seed(dict(base_env, **env))
                if name.startswith("apigw-mcp-"):
                    token = mcp_key
                if binary.startswith("sdk-"):
                    seed_baseline_item(endpoint, env["BENCH_TABLE"], org, project)
                env = dict(env, CONTROLPLANE_JWT_SECRET=SECRET, CONTROLPLANE_RATE_LIMIT_SCALE=RATE_LIMIT_SCALE, **FUNCTION_ENV.get(binary, {}))
                event = api_event(name, token, org, project) if kind in ("GET", "POST") else (ROOT / "events" / name).read_bytes()
                expected = EXPECTED.get(name)
                result = measure(path, event, env, a.colds, warm, expected)
                label = f"{kind} {name}" + (f" (answers {'/'.join(map(str, sorted(expected)))})" if expected else "")
                row = dict(result, binary=binary, config=config, event=label, size=path.stat().st_size, zipped=zipped_size(path))
                rows.append(row)
                print(json.dumps(row), file=sys.stderr)
    report(rows, a)


def ratio(value, base):
    return f"{value / base:.2f}" if value is not None and base else "–"


def fmt(value, digits=1):
    return "–" if value is None else f"{value:.{digits}f}"


# What a user feels of a function, per production row (on the emulator,
# shaped as deployed), against the baselines measured in the same run.
MAX_RSS_MIB = 32  # a quarter of Lambda's smallest memory size (128 MB)


def report(rows, a):
    def base(name, config, field):
        found = [r[field] for r in rows if r["binary"] == name and r["config"] == config and r[field] is not None]
        return found[0] if found else None

    lines = [
        "| function | config | event | init p50 ms | init p90 ms | first invoke ms | cold (init+first) ms | cold − warm ms | warm p50 µs | warm p99 µs | store calls first/warm | peak RSS MiB | size MiB | zipped MiB | cold ÷ sdk-typical | init ÷ sdk-typical | init ÷ sdk-lean | zip ÷ sdk-typical | answered |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    broken = []
    for r in rows:
        cold = None if r["init_ms_p50"] is None or r["first_ms_p50"] is None else r["init_ms_p50"] + r["first_ms_p50"]
        sdk_init, lean_init = base("sdk-typical", r["config"], "init_ms_p50"), base("sdk-lean", r["config"], "init_ms_p50")
        sdk_first = base("sdk-typical", r["config"], "first_ms_p50")
        sdk_cold = None if sdk_init is None or sdk_first is None else sdk_init + sdk_first
        # What a cold start adds to the request: init, and the first
        # response's time beyond a warm one's. A request's own store work
        # (a transaction, a query) is the same on either, and sdk-typical's
        # is one GetItem, so rows are held to the addition.
        sdk_warm = base("sdk-typical", r["config"], "warm_us_p50")
        added = None if cold is None or r["warm_us_p50"] is None else cold - r["warm_us_p50"] / 1000
        sdk_added = None if sdk_cold is None or sdk_warm is None else sdk_cold - sdk_warm / 1000
        sdk_zip = base("sdk-typical", r["config"], "zipped")
        calls = "/".join("–" if n is None else f"{n:g}" for n in (r["calls_first_p50"], r["calls_warm_p50"]))
        rss_mib = None if r["rss_kib"] is None else r["rss_kib"] / 1024
        lines.append(
            f"| {r['binary']} | {r['config']} | {r['event']} | {fmt(r['init_ms_p50'])} | {fmt(r['init_ms_p90'])} | "
            f"{fmt(r['first_ms_p50'])} | {fmt(cold)} | {fmt(added)} | {fmt(r['warm_us_p50'], 0)} | {fmt(r['warm_us_p99'], 0)} | {calls} | "
            f"{fmt(rss_mib)} | {r['size'] / 2**20:.1f} | {r['zipped'] / 2**20:.1f} | "
            f"{ratio(cold, sdk_cold)} | {ratio(r['init_ms_p50'], sdk_init)} | {ratio(r['init_ms_p50'], lean_init)} | "
            f"{ratio(r['zipped'], sdk_zip)} | {r['answered']}/{r['asked']} |"
        )
        if r["binary"] in BASELINES:
            continue
        checks = [("warm p99 ≤ 3 × warm p50", bool(r["warm_us_p50"]) and r["warm_us_p99"] <= 3 * r["warm_us_p50"])]
        # Cold start, init, memory and size are budgets of what is deployed:
        # the production rows. An embedded row's binary is built only for
        # this table (SQLite in, which Lambda builds leave out).
        if r["config"] == "production":
            checks += [
                ("cold start (init + first response − a warm response) ≤ sdk-typical's", added is not None and sdk_added is not None and added <= sdk_added),
                ("init ≤ sdk-typical's", r["init_ms_p50"] is not None and sdk_init is not None and r["init_ms_p50"] <= sdk_init),
                (f"peak RSS ≤ {MAX_RSS_MIB} MiB", rss_mib is not None and rss_mib <= MAX_RSS_MIB),
                ("zipped ≤ 1.5 × sdk-typical's", bool(sdk_zip) and r["zipped"] <= 1.5 * sdk_zip),
            ]
        checks.append(("every request answered as expected", r["answered"] >= r["asked"]))
        broken += [f"{r['binary']} ({r['config']}, {r['event']}): {name}" for name, ok in checks if not ok]

    table = "\n".join(lines)
    header = (f"Measured {time.strftime('%Y-%m-%d')} on {platform.node()} ({os.cpu_count()} cores, {platform.machine()}), --colds {a.colds} --warm {a.warm}"
              f" (production POST and SQS rows: --warm {min(a.warm, PRODUCTION_WRITES_WARM)}, see infra/bench/bench.py).")
    print(header)
    print(table)
    if broken:
        print("\nBudgets broken:\n" + "\n".join(f"- {b}" for b in broken))
    else:
        print("\nEvery budget holds.")
    if not a.no_write:
        write(header, table, broken)
    sys.exit(1 if broken else 0)


def write(header, table, broken):
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n\n<!-- table -->\n<!-- /table -->\n\n## History\n"
    start, end = text.index("<!-- table -->") + len("<!-- table -->"), text.index("<!-- /table -->")
    verdict = "\n\nBudgets broken:\n" + "\n".join(f"- {b}" for b in broken) if broken else "\n\nEvery budget holds."
    path.write_text(text[:start] + "\n" + header + "\n\n" + table + verdict + "\n" + text[end:])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Store round trips per route, from the end-to-end suite.

The e2e suite's requests (tests/support: `send`) append one JSON line each
to the file CONTROLPLANE_ROUND_TRIPS_OUT names, taken from the response's
`Server-Timing: store;desc="ROUTE";rt=..;rrt=..;reads=..;writes=..;amortized=..`
(a counting store wrapper tallies every call the request made; calls made
concurrently share a round trip; work done once per interval, such as
rate-limit syncs and key-usage batches, is counted as amortized).

Per route (method, template, with or without Idempotency-Key) it reports,
over the suite's successful requests, the median and the maximum, and
checks the budgets on the median (the steady state):

- reads (GET): one round trip, no write;
- mutations: at most one read round trip (credential, membership and the
  items the change needs, in one batch) and one write (the transaction,
  with its audit event), plus one with Idempotency-Key;
- an MCP message (`/mcp`): the door's read; a `tools/call` adds the
  quota read, its REST route's own round trips and the call's audit record
  (one write); a call of a registered server's tool reads its server's slug
  claim (with the quota), then the server and the tool, then the
  credential before it is forwarded, and `tools/list` for a key that may
  call them queries the servers, then their tools (concurrently);
- a user's token that names no org (no `X-Org-Id`, no org claim) costs one
  read round trip more, to find the caller's only org, and so does
  `GET /v1/orgs`, which lists the orgs that membership lookup finds (their
  keys are not known before it answers): such requests are reported apart
  ("org: looked up").

    roundtrips.py FILE [--write]   (--write: into BENCHMARKS.md)
Exits 1 when a budget is broken.
"""

import argparse
import collections
import json
import pathlib
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
READS = {"GET", "HEAD"}


def load(path):
    groups = collections.defaultdict(list)
    for line in pathlib.Path(path).read_text().splitlines():
        r = json.loads(line)
        if not 200 <= r["status"] < 400 or r.get("desc") in (None, "-"):
            continue
        groups[(r["desc"], r["method"], r["idempotency_key"], r.get("org") == "inferred")].append(r)
    return groups


def budget(route, method, keyed, inferred, rt, rrt, writes):
    if route == "/mcp":
        # One JSON-RPC message: the door's read; a tools/call adds the quota
        # read, its REST route's own, and the call's audit record.
        return rrt <= 3 and writes <= 2, "MCP: ≤ 3 read round trips (door, quota, the tool's route), ≤ 2 writes (the route's, the call's record)"
    reads = 2 if inferred else 1
    if method in READS:
        return rt <= reads and writes == 0, f"{reads} round trip{'s' if reads > 1 else ''}, no write"
    allowed = 2 if keyed else 1
    return rrt <= reads and writes <= allowed, f"≤ {reads} read round trip{'s' if reads > 1 else ''}, ≤ {allowed} write{'s' if allowed > 1 else ''}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    groups = load(a.file)
    lines = [
        "| route | method | Idempotency-Key | org | requests | round trips | read round trips | reads | writes | amortized | max round trips | max writes | budget | holds |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    broken = []
    for (route, method, keyed, inferred), rows in sorted(groups.items()):
        med = lambda f: statistics.median_low([r.get(f, 0) for r in rows])
        rt, rrt, writes = med("rt"), med("rrt"), med("writes")
        ok, rule = budget(route, method, keyed, inferred, rt, rrt, writes)
        lines.append(
            f"| `{route}` | {method} | {'yes' if keyed else 'no'} | {'looked up' if inferred else 'named'} | {len(rows)} | {rt} | {rrt} | {med('reads')} | {writes} | "
            f"{med('amortized')} | {max(r.get('rt', 0) for r in rows)} | {max(r.get('writes', 0) for r in rows)} | {rule} | "
            f"{'yes' if ok else '**no**'} |"
        )
        if not ok:
            broken.append(f"{method} {route}{' (Idempotency-Key)' if keyed else ''}{' (org looked up)' if inferred else ''}: {rule}, median {rt} round trips ({rrt} read), {writes} writes")
    table = "\n".join(lines)
    print(table)
    verdict = "\n\nBudgets broken:\n" + "\n".join(f"- {b}" for b in broken) if broken else "\n\nEvery route keeps its budget."
    print(verdict.strip())
    print(f"{len(groups) - len(broken)} of {len(groups)} route groups keep their store round-trip budget.")
    if a.write:
        path = ROOT / "BENCHMARKS.md"
        text = path.read_text()
        start_mark, end_mark = "<!-- roundtrips -->", "<!-- /roundtrips -->"
        if start_mark not in text:
            text = text.replace("## History", f"## Store round trips per route\n\n{start_mark}\n{end_mark}\n\n## History", 1)
        start, end = text.index(start_mark) + len(start_mark), text.index(end_mark)
        path.write_text(text[:start] + "\n" + table + verdict + "\n" + text[end:])
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()

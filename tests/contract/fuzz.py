#!/usr/bin/env python3
"""The contract, fuzzed: Schemathesis against the local server.

    fuzz.py BINARY [--examples N]

Starts BINARY (the local server) on a free port with a fresh data
directory, makes an org with a project and a token bound to it, and runs
every Schemathesis check on every `/v1` operation of the committed
`openapi.json` with N examples each (deterministic generation, so a run
is repeatable): no 5xx, no answer the document does not describe (status,
content type, schema, headers), no spec-valid request refused. Exits
non-zero on any failure; the report is in target/contract/.
"""

import argparse
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from localserver import Server  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--examples", type=int, default=25)
    a = ap.parse_args()
    report = ROOT / "target" / "contract"
    report.mkdir(parents=True, exist_ok=True)
    # Rate limits scaled up: the run is one client sending thousands of
    # requests, and a 429 would stand in for the answer under test.
    with Server(a.binary, CONTROLPLANE_RATE_LIMIT_SCALE="1000") as server:
        first = server.token("fuzzer")
        _, org = server.rest("POST", "/v1/orgs", first, {"name": "Contract"})
        token = server.token("fuzzer", "--org", org["id"], "--ttl", "86400")
        server.rest("POST", "/v1/projects", token, {"name": "contract"})
        env = dict(os.environ, SCHEMATHESIS_HOOKS="hooks", CONTRACT_ORG_ID=org["id"], PYTHONPATH=str(ROOT / "tests" / "contract"))
        command = [
            str(pathlib.Path(sys.executable).parent / "schemathesis"), "--no-color",
            "--config-file", str(ROOT / "tests" / "contract" / "schemathesis.toml"),
            "run", str(ROOT / "openapi.json"),
            "--url", server.base,
            "--header", f"Authorization: Bearer {token}",
            "--checks", "all",
            # Replaced by hooks.valid_requests_accepted, which knows the
            # rules a schema cannot state.
            "--exclude-checks", "positive_data_acceptance",
            "--max-examples", str(a.examples),
            "--generation-deterministic",
            "--exclude-path-regex", "^/internal/",
            "--report", "junit", "--report-dir", str(report),
        ]
        # Its cache (replayed failures) is kept with the report, not in the tree.
        result = subprocess.run(command, env=env, cwd=report)
    if result.returncode != 0:
        sys.exit(f"schemathesis found failures (exit {result.returncode}); the report is in {report}")
    print("the contract holds: schemathesis found no failure")


if __name__ == "__main__":
    main()

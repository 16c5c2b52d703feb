#!/usr/bin/env python3
"""The generated SDKs against the local server: clients/python (imported
as an installed package) and clients/typescript (compiled with tsc, run
with node), each on its own server.

    smoke.py BINARY

Each smoke test, through its client only: creates an org and a project,
creates an API key and uses it, pages through a list with the cursor,
gets a 409 and a 429 as typed problems (the 429 with `Retry-After`), and
replays a create with an Idempotency-Key.
"""

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from localserver import Server  # noqa: E402

sys.path.insert(0, str(ROOT / "tests" / "clients"))
import python_smoke  # noqa: E402


def main():
    binary = sys.argv[1]
    with Server(binary) as server:
        python_smoke.run(server.base, server.token("py-smoke"))
    print("clients/python: every step passed")
    typescript = ROOT / "clients" / "typescript"
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=typescript, check=True)
    subprocess.run(["npx", "--no-install", "tsc", "-p", "tsconfig.smoke.json"], cwd=typescript, check=True)
    with Server(binary) as server:
        env = dict(os.environ, CONTROLPLANE_URL=server.base, CONTROLPLANE_TOKEN=server.token("ts-smoke"))
        subprocess.run(["node", "build/smoke/smoke.js"], cwd=typescript, env=env, check=True)
    print("clients/typescript: every step passed")


if __name__ == "__main__":
    main()

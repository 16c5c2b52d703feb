"""Plants every token of the golden set (samples.jsonl) through a run of
the local server (`cargo run`'s binary, the first argument) wherever it
may pass but must not rest, then looks for each one in everything the run
left: the server's log (at debug), every store file (after the server
stopped and its WAL was checkpointed), the blobs and the published events.

Where the tokens go:
- a project's description, batch after batch, then a clean one: each
  change's audit diff (and its event, and the webhook payload made of it);
- requests refused for an unknown field named by a sample: the problem
  answered and the request's log lines;
- a webhook receiver that answers every delivery with a batch: the
  delivery log's response excerpt;
- an agent's tool calls whose argument names are samples: the gateway's
  call records.

Zero found is the only pass. Run by scripts/test."""

import asyncio
import json
import os
import signal
import sqlite3
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
import localserver  # noqa: E402
from mcp import ClientSession  # noqa: E402
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client  # noqa: E402

SAMPLES = [json.loads(line) for line in (HERE / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
PLANTED = [(s["id"], t["kind"], t["value"]) for s in SAMPLES for t in s["tokens"]]


def expect(ok: bool, what: str):
    if not ok:
        sys.exit(f"FAILED: {what}")
    print(f"ok: {what}")


def batches(limit: int):
    """The planted samples' texts in batches of at most `limit` bytes."""
    out, current = [], []
    for sample in SAMPLES:
        if not sample["tokens"]:
            continue
        text = sample["text"]
        if current and len("\n".join(current + [text]).encode()) > limit:
            out.append("\n".join(current))
            current = []
        current.append(text)
    if current:
        out.append("\n".join(current))
    return out


class Receiver:
    """Answers every delivery 200 with the next batch of samples."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.served = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver.lock:
                    body = receiver.answers[receiver.served % len(receiver.answers)].encode()
                    receiver.served += 1
                self.send_response(200)
                self.send_header("content-type", "text/plain; charset=utf-8")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def wait(what: str, done, seconds: float = 180):
    deadline = time.time() + seconds
    while not done():
        if time.time() > deadline:
            sys.exit(f"FAILED: {what} (waited {seconds} s)")
        time.sleep(0.2)


async def call_tools(url: str, key: str, names_batches):
    async with create_mcp_http_client(headers={"Authorization": f"Bearer {key}"}) as http:
        async with streamable_http_client(url, http_client=http) as (read, write, *_):
            async with ClientSession(read, write) as session:
                await session.initialize()
                for names in names_batches:
                    await session.call_tool("projects_list", {name: 1 for name in names})


def at_rest(data_dir: str) -> str:
    """Every file the run left, as text (the store files checkpointed)."""
    for db in Path(data_dir).rglob("*.db"):
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in Path(data_dir).rglob("*") if p.is_file())


def main(binary: str):
    description_batches = batches(1000)
    receiver = Receiver(batches(700))
    server = localserver.Server(binary, CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL="true", RUST_LOG="debug")
    with server:
        owner = server.token("olivia", "--email", "olivia@example.com")
        status, org = server.rest("POST", "/v1/orgs", owner, {"name": "Acme"})
        expect(status == 201, "an org (its data policy on)")
        policy = {"strategies": {"email": "hash", "iban": "drop"}}
        status, _ = server.rest("PUT", f"/v1/orgs/{org['id']}/data-policy", owner, policy)
        expect(status == 200, "emails hashed and IBANs dropped, the rest masked")
        status, project = server.rest("POST", "/v1/projects", owner, {"name": "web"})
        expect(status == 201, "a project")
        path = f"/v1/projects/{project['id']}"

        for text in description_batches:
            status, body = server.rest("PUT", path, owner, {"description": text})
            if status != 200:
                expect(False, f"a description of {len(text)} characters is stored ({status}: {body})")
        status, _ = server.rest("PUT", path, owner, {"description": "clean"})
        expect(status == 200, f"{len(description_batches)} descriptions planted, then a clean one")

        refused = 0
        for sample in SAMPLES:
            if sample["tokens"]:
                status, problem = server.rest("POST", "/v1/projects", owner, {"name": "x", sample["text"]: 1})
                refused += status == 422
        expect(refused == sum(1 for s in SAMPLES if s["tokens"]), f"{refused} requests refused for a planted field")

        status, hook = server.rest(
            "POST", "/v1/webhooks", owner, {"project_id": project["id"], "url": receiver.url, "event_types": ["project.*"]}
        )
        expect(status == 201, f"a webhook to the receiver ({status}: {hook})")
        for _ in receiver.answers:
            status, body = server.rest("POST", f"/v1/webhooks/{hook['id']}/test", owner, {})
            if status not in (200, 201, 202):
                expect(False, f"a test delivery is queued ({status}: {body})")

        def delivered():
            status, page = server.rest("GET", f"/v1/webhooks/{hook['id']}/deliveries?limit=200", owner)
            done = [d for d in page["data"] if d["status"] == "succeeded"]
            return len(done) >= len(receiver.answers)

        wait("every test delivery answered", delivered)
        expect(receiver.served >= len(receiver.answers), f"{receiver.served} answers carried planted tokens")

        status, key = server.rest(
            "POST",
            "/v1/keys",
            owner,
            {"project_id": project["id"], "name": "agent", "type": "mcp", "scopes": ["mcp:tool:projects_list"]},
        )
        expect(status == 201, "an mcp key")
        texts = [s["text"] for s in SAMPLES if s["tokens"]]
        names = [texts[i : i + 32] for i in range(0, len(texts), 32)]
        asyncio.run(call_tools(server.base + "/mcp", key["token"], names))

        def sealed():
            status, page = server.rest("GET", "/v1/audit?action=mcp.call&limit=200", owner)
            return len(page["data"]) >= len(names)

        wait("every tool call recorded", sealed)
        expect(True, f"{len(names)} tool calls with planted argument names recorded")
        # Stopped as an operator would: the server finishes and closes.
        server.process.send_signal(signal.SIGINT)
        server.process.wait(timeout=60)

    with open(os.path.join(server.data, "server.log"), encoding="utf-8", errors="replace") as log:
        logged = log.read()
    rest = at_rest(server.data)
    leaks = []
    for sample_id, kind, value in PLANTED:
        escaped = json.dumps(value)[1:-1]
        for where, text in (("log", logged), ("at rest", rest)):
            if value in text or escaped in text:
                leaks.append(f"{sample_id}: {kind} {value!r} found {where}")
    print(f"{len(PLANTED)} planted tokens; log {len(logged)} bytes, at rest {len(rest)} bytes")
    for leak in leaks:
        print(f"  {leak}")
    expect(not leaks, f"no planted token in the log or at rest ({len(leaks)} found)")
    expect("[redacted:" in rest and "[email:" in rest, "minimized forms rest instead (masked, and hashed for emails)")


if __name__ == "__main__":
    main(sys.argv[1])

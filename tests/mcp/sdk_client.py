"""The MCP gateway as a client no one here wrote sees it: the official
Python MCP SDK (`mcp` on PyPI) over streamable HTTP against the local
server (`cargo run`'s binary, given as the first argument, on a fresh
SQLite store and a free port on 127.0.0.1), and over stdio against the
same binary's `mcp-stdio` on the same store.

Run by scripts/test; exits non-zero on the first failed expectation."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import urllib.error

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary: str):
        self.binary = binary
        self.data = tempfile.mkdtemp(prefix="mcp-sdk-")
        self.port = free_port()
        self.env = dict(os.environ, CONTROLPLANE_DATA_DIR=self.data, PORT=str(self.port))
        self.env.pop("CONTROLPLANE_STORE", None)
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log = open(os.path.join(self.data, "server.log"), "w")
        self.process = subprocess.Popen([self.binary], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.time() > deadline or self.process.poll() is not None:
                    sys.exit(f"the server did not start; see {self.log.name}")
                time.sleep(0.1)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def token(self, sub: str) -> str:
        out = subprocess.run([self.binary, "token", "--sub", sub], env=self.env, check=True, capture_output=True)
        return out.stdout.decode().strip()

    def rest(self, method: str, path: str, token: str, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def expect(condition: bool, what: str):
    if not condition:
        sys.exit(f"FAILED: {what}")
    print(f"ok: {what}")


async def session_calls(url: str, key: str, work, statuses=None):
    async with create_mcp_http_client(headers={"Authorization": f"Bearer {key}"}) as http:
        if statuses is not None:

            async def record(response):
                statuses.append(response.status_code)

            http.event_hooks["response"].append(record)
        async with streamable_http_client(url, http_client=http) as (read, write, *_):
            async with ClientSession(read, write) as session:
                return await work(session)


async def stdio_calls(server: Server, key: str, work):
    params = StdioServerParameters(
        command=server.binary, args=["mcp-stdio"], env=dict(server.env, CONTROLPLANE_MCP_KEY=key)
    )
    with open(os.path.join(server.data, "stdio.log"), "w") as log:
        async with stdio_client(params, errlog=log) as (read, write):
            async with ClientSession(read, write) as session:
                return await asyncio.wait_for(work(session), timeout=60)


def audited_calls(server: Server, owner: str, count: int) -> list:
    """The org's `mcp.call` events once `count` are sealed (the publisher
    loop seals every second; a generous deadline, not a timing bet)."""
    deadline = time.time() + 60
    while True:
        status, page = server.rest("GET", "/v1/audit?action=mcp.call&limit=200", owner)
        if status == 200 and len(page["data"]) >= count or time.time() > deadline:
            return page["data"] if status == 200 else []
        time.sleep(0.2)


async def main(binary: str):
    with Server(binary) as server:
        owner = server.token("alice")
        status, org = server.rest("POST", "/v1/orgs", owner, {"name": "Acme"})
        expect(status == 201, f"an org is created ({status})")
        status, project = server.rest("POST", "/v1/projects", owner, {"name": "checkout"})
        expect(status == 201, "a project is created")
        scopes = ["mcp:tool:projects_get", "mcp:tool:jobs_list"]
        status, key = server.rest(
            "POST", "/v1/keys", owner, {"project_id": project["id"], "name": "agent", "type": "mcp", "scopes": scopes}
        )
        expect(status == 201 and key["token"].startswith("mcp_live_"), "an mcp key is created")
        url = server.base + "/mcp"

        async def work(session: ClientSession):
            init = await session.initialize()
            expect(init.server_info.name == "controlplane", f"initialize negotiates {init.protocol_version}")
            tools = await session.list_tools()
            names = sorted(tool.name for tool in tools.tools)
            expect(names == ["jobs_list", "projects_get"], f"tools/list shows exactly the two scoped tools: {names}")
            schema = next(t for t in tools.tools if t.name == "projects_get").input_schema
            expect(schema["required"] == ["project_id"], "a tool's input schema is its route's")
            got = await session.call_tool("projects_get", {"project_id": project["id"]})
            expect(not got.is_error and got.structured_content["id"] == project["id"], "a scoped call succeeds")
            jobs = await session.call_tool("jobs_list", {"project_id": project["id"]})
            expect(not jobs.is_error and len(jobs.structured_content["data"]) == 1, "the project's job is listed")
            try:
                outside = await session.call_tool("jobs_cancel", {"job_id": jobs.structured_content["data"][0]["id"]})
                refused = outside.is_error
            except Exception as error:  # the SDK raises the JSON-RPC error
                refused = "unknown tool" in str(error)
            expect(refused, "a call of a tool outside the scopes is refused as an unknown tool")
            bad = await session.call_tool("jobs_list", {"limit": "many"})
            expect(bad.is_error and "\n- limit:" in bad.content[0].text, "a bad argument is a tool error naming it")

        await session_calls(url, key["token"], work)

        status, _ = server.rest("DELETE", f"/v1/keys/{key['id']}/revoke", owner)
        expect(status == 200, "the key is revoked")

        async def refused(session: ClientSession):
            await session.initialize()

        statuses = []
        try:
            await session_calls(url, key["token"], refused, statuses)
            raised = False
        except BaseException:  # noqa: BLE001 - the SDK raises the refusal inside task groups
            raised = True
        expect(raised and statuses == [401], f"a revoked key is refused with 401 ({statuses})")

        status, desk = server.rest(
            "POST",
            "/v1/keys",
            owner,
            {"project_id": project["id"], "name": "desktop", "type": "mcp", "scopes": ["mcp:tool:projects_get"]},
        )
        expect(status == 201, "a second mcp key is created for a desktop client")

        async def over_stdio(session: ClientSession):
            init = await session.initialize()
            expect(init.server_info.name == "controlplane", "mcp-stdio initializes over stdin and stdout")
            names = [tool.name for tool in (await session.list_tools()).tools]
            expect(names == ["projects_get"], f"mcp-stdio lists the key's tools: {names}")
            got = await session.call_tool("projects_get", {"project_id": project["id"]})
            expect(not got.is_error and got.structured_content["id"] == project["id"], "mcp-stdio calls a tool")

        await stdio_calls(server, desk["token"], over_stdio)
        try:
            await stdio_calls(server, key["token"], over_stdio)
            stdio_refused = False
        except BaseException:  # noqa: BLE001 - the process exits; the SDK raises from its task group
            stdio_refused = True
        expect(stdio_refused, "mcp-stdio refuses a revoked key")

        events = audited_calls(server, owner, 5)
        tools = sorted((e["metadata"]["tool"], e["metadata"]["outcome"]) for e in events)
        expected = [("jobs_cancel", "unknown_tool"), ("jobs_list", "error"), ("jobs_list", "ok"), ("projects_get", "ok"), ("projects_get", "ok")]
        expect(tools == expected, f"every call over HTTP and stdio is audited once: {tools}")
        stdio = [e for e in events if e["actor"]["id"] == desk["id"]]
        expect(len(stdio) == 1 and stdio[0]["user_agent"] == "mcp-stdio", "the stdio call is the desktop key's")
    print("the official MCP SDK's client: all expectations met")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

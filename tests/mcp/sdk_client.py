"""The MCP gateway as a client no one here wrote sees it: the official
Python MCP SDK (`mcp` on PyPI) over streamable HTTP against the local
server (`cargo run`'s binary, given as the first argument, on a fresh
SQLite store and a free port on 127.0.0.1), and over stdio against the
same binary's `mcp-stdio` on the same store. An upstream MCP server that is
not ours either — the same SDK's `MCPServer` (FastMCP), tests/mcp/upstream.py,
on another port of 127.0.0.1 — is registered, discovered, called through
the gateway with its credential and policed, then changed under it.

Run by scripts/test; exits non-zero on the first failed expectation."""

import asyncio
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import localserver  # noqa: E402
from localserver import free_port, wait_for_port  # noqa: E402
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import create_mcp_http_client, streamable_http_client


def Server(binary: str):
    # Loopback upstreams (the test's own) pass the SSRF guard.
    return localserver.Server(binary, CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL="true")


class Upstream:
    """tests/mcp/upstream.py on its own port, behind `token`; `restart`
    serves it again on the same port with the changed definition."""

    TOKEN = "fastmcp-upstream-t0ken"

    def __init__(self, log_dir: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/mcp"
        self.log = open(os.path.join(log_dir, "upstream.log"), "w")
        self.process = None

    def start(self, *flags: str):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "upstream.py")
        env = dict(os.environ, UPSTREAM_TOKEN=self.TOKEN)
        self.process = subprocess.Popen(
            [sys.executable, script, str(self.port), *flags], env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        wait_for_port(self.port, self.process, "the upstream MCP server")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def restart(self, *flags: str):
        self.stop()
        self.start(*flags)


def job_done(server, token: str, job_id: str) -> dict:
    """The job once it finished (the local worker runs it; a generous
    deadline, not a timing bet)."""
    deadline = time.time() + 60
    while True:
        status, job = server.rest("GET", f"/v1/jobs/{job_id}", token)
        if status == 200 and job["status"] in ("completed", "failed") or time.time() > deadline:
            return job
        time.sleep(0.2)


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

        events = audited(server, owner, "mcp.call", 5)
        tools = sorted((e["metadata"]["tool"], e["metadata"]["outcome"]) for e in events)
        expected = [("jobs_cancel", "unknown_tool"), ("jobs_list", "error"), ("jobs_list", "ok"), ("projects_get", "ok"), ("projects_get", "ok")]
        expect(tools == expected, f"every call over HTTP and stdio is audited once: {tools}")
        stdio = [e for e in events if e["actor"]["id"] == desk["id"]]
        expect(len(stdio) == 1 and stdio[0]["user_agent"] == "mcp-stdio", "the stdio call is the desktop key's")
        await through_the_gateway(server, url)
    print("the official MCP SDK's client: all expectations met")


SECRETS = r"(?i)(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----)"


async def through_the_gateway(server: Server, url: str):
    """The upstream server, registered in another user's org."""
    upstream = Upstream(server.data)
    upstream.start()
    try:
        await upstream_tools(server, url, upstream)
    finally:
        upstream.stop()
        upstream.log.close()


async def upstream_tools(server: Server, url: str, upstream: Upstream):
    bob = server.token("bob")
    expect(server.rest("POST", "/v1/orgs", bob, {"name": "Files"})[0] == 201, "a second org for the upstream")
    status, project = server.rest("POST", "/v1/projects", bob, {"name": "files"})
    credential = {"kind": "token", "name": "files", "value": {"token": Upstream.TOKEN}}
    status, stored = server.rest("POST", "/v1/credentials", bob, credential)
    expect(status == 201, "the upstream's token is stored as a credential")
    body = {"project_id": project["id"], "slug": "files", "url": upstream.url, "credential_ref_id": stored["id"]}
    status, registered = server.rest("POST", "/v1/mcp-servers", bob, body)
    expect(status == 201, f"the MCPServer upstream is registered ({status})")
    tools_path = f"/v1/mcp-servers/{registered['id']}/tools"

    def discover() -> dict:
        status, job = server.rest("POST", f"/v1/mcp-servers/{registered['id']}/discover", bob, {})
        expect(status == 202, "a discovery is accepted")
        return job_done(server, bob, job["id"])

    job = discover()
    expect(job["status"] == "completed" and job["result"]["active"] == 2, f"its two tools are discovered: {job.get('result')}")

    # Deny by default: the server's tools may do nothing until an admin
    # gives them an execution profile (here, the server's own host and
    # its token).
    profile = {"egress": {"allow": ["endpoint"]}, "secrets": ["token"], "max_run_seconds": 30, "max_output_bytes": 65536}
    status, set_profile = server.rest("PUT", "/v1/exec-profiles/files__*", bob, profile)
    expect(status == 200, f"the server's tools get an execution profile ({status}: {set_profile})")

    for binding in [
        {"policy_id": "no-secrets", "mode": "enforce", "rules": [{"type": "pattern", "pattern": SECRETS}]},
        {
            "policy_id": "docs-only",
            "mode": "enforce",
            "tool": "read_file",
            "rules": [{"type": "path_allow_list", "arguments": ["path"], "allow": ["/srv/docs"]}],
        },
    ]:
        status, _ = server.rest("POST", f"/v1/mcp-servers/{registered['id']}/policy-bindings", bob, binding)
        expect(status == 201, f"policy {binding['policy_id']} is bound ({status})")

    scopes = ["mcp:tool:files__search", "mcp:tool:files__read_file", "mcp:tool:projects_get"]
    body = {"project_id": project["id"], "name": "files-agent", "type": "mcp", "scopes": scopes}
    status, key = server.rest("POST", "/v1/keys", bob, body)
    expect(status == 201, "an mcp key is scoped to the upstream's tools")
    secret = "AKIA" + "QWERTYUIOPASDFGH"

    async def calls(session: ClientSession):
        await session.initialize()
        names = sorted(tool.name for tool in (await session.list_tools()).tools)
        expect(names == ["files__read_file", "files__search", "projects_get"], f"the upstream's tools are listed: {names}")
        found = await session.call_tool("files__search", {"q": "gateways"})
        expect(not found.is_error and found.content[0].text == "found for gateways", "a call reaches the upstream")
        read = await session.call_tool("files__read_file", {"path": "/srv/docs/guide.md"})
        expect(not read.is_error and "guide.md" in read.content[0].text, "a path inside the allow-list is read")
        outside = await session.call_tool("files__read_file", {"path": "/srv/docs/../../etc/passwd"})
        expect(outside.is_error and "docs-only" in outside.content[0].text, "a path outside it is blocked, naming the policy")
        leaked = await session.call_tool("files__search", {"q": f"key {secret}"})
        expect(leaked.is_error and "no-secrets" in leaked.content[0].text, "a secret-looking argument is blocked")
        expect(secret not in leaked.content[0].text, "the blocked value is not repeated")

    await session_calls(url, key["token"], calls)
    blocked = audited(server, bob, "mcp.call_blocked", 2)
    policies = sorted(e["metadata"]["policy"]["policy_id"] for e in blocked)
    expect(policies == ["docs-only", "no-secrets"], f"each blocked call is audited as mcp.call_blocked: {policies}")
    expect(not any(secret in json.dumps(e) for e in blocked), "the audit log keeps no argument value")
    ran = audited(server, bob, "mcp.call", 2)
    expect(all(e["metadata"]["server"] == "files" for e in ran), "the upstream's calls are audited under its slug")

    # The rug pull: the server changes `search` under the gateway.
    upstream.restart("--changed")
    job = discover()
    expect(job["status"] == "completed" and job["result"]["changed"] == ["search"], f"the change is found: {job.get('result')}")

    async def after_change(session: ClientSession):
        await session.initialize()
        names = sorted(tool.name for tool in (await session.list_tools()).tools)
        expect("files__search" not in names and "files__read_file" in names, f"the changed tool is hidden: {names}")
        try:
            hidden = await session.call_tool("files__search", {"q": "x"})
            refused = hidden.is_error
        except Exception as error:  # the SDK raises the JSON-RPC error
            refused = "unknown tool" in str(error)
        expect(refused, "the changed tool cannot be called until approved")

    await session_calls(url, key["token"], after_change)
    status, listed = server.rest("GET", tools_path, bob)
    search = next(t for t in listed["data"] if t["name"] == "search")
    approve = {"sha256": search["pending"]["sha256"]}
    status, _ = server.rest("POST", f"/v1/mcp-servers/{registered['id']}/tools/search/approve", bob, approve)
    expect(status == 200, "an operator approves the new definition")

    async def approved(session: ClientSession):
        await session.initialize()
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        expect("id_rsa" in tools["files__search"].description, "the approved definition is listed again")

    await session_calls(url, key["token"], approved)


def audited(server: Server, token: str, action: str, count: int) -> list:
    """The org's `action` events once `count` are sealed."""
    deadline = time.time() + 60
    while True:
        status, page = server.rest("GET", f"/v1/audit?action={action}&limit=200", token)
        if status == 200 and len(page["data"]) >= count or time.time() > deadline:
            return page["data"] if status == 200 else []
        time.sleep(0.2)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

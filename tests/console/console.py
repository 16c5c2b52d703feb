#!/usr/bin/env python3
"""The web console in a real browser: headless Chromium (Debian's) driven by
Playwright for Python against the local server, which serves the console
at `/`.

    console.py BINARY

Scenarios, each through the console's screens only (the API is called
directly only to check what the console did): sign in with a development
token; create an org and a project and see it become active; create a key,
copy it once, use it, rotate and revoke it; invite a viewer and see the
mutating buttons disabled for them and refused by the API; create a
webhook and see a test delivery in its log; create a credential, a source
using it and a schedule, run the source and open its evidence; verify and
export the audit log and check the download; sign in through an OIDC
issuer with Authorization Code + PKCE. axe-core runs on every screen (zero
serious or critical violations), at desktop width and on a 375 px phone.
Screenshots go to target/console/.
"""

import base64
import hashlib
import hmac
import json
import pathlib
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import Page, expect, sync_playwright

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "console"))
from localserver import Server  # noqa: E402
from issuer import Issuer  # noqa: E402

SHOTS = ROOT / "target" / "console"
AXE = (ROOT / "console" / "node_modules" / "axe-core" / "axe.min.js").read_text()
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Jobs run on the server's in-process worker: generous on a busy machine.
WORK = 90_000
SCREENS = ["org", "projects", "keys", "usage", "jobs", "audit", "webhooks", "sources", "schedules", "credentials", "me"]


class Receiver:
    """Records every request (webhook deliveries, source probes) and answers 200."""

    def __init__(self):
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver.requests.append((self.command, self.path, headers, self.rfile.read(length)))
                # `/down` is an endpoint that is down.
                self.send_response(503 if self.path == "/down" else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = handle_one

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def call(base, method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(condition, what: str):
    """Polls the server (bounded by WORK) until `condition()` holds."""
    deadline = time.time() + WORK / 1000
    while not condition():
        assert time.time() < deadline, f"timed out waiting until {what}"
        time.sleep(0.2)


def accessible(page: Page, name: str):
    """axe-core on the page as it stands: no serious or critical violation."""
    page.evaluate(AXE)
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                           ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: accessibility violations: {json.dumps(bad, indent=1)}"


def shot(page: Page, name: str, full_page=True):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def visit(page: Page, section: str):
    page.goto(page.url.split("#")[0] + f"#/{section}")


def sign_in(page: Page, base: str, token: str):
    page.goto(base + "/")
    page.get_by_label("Development token").fill(token)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def storage_holds_no_token(page: Page, token: str):
    local = page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert token not in local and local == "{}", f"localStorage holds {local}"


def scenario_sign_in_org_and_project(page: Page, server: Server, alice: str):
    page.goto(server.base + "/")
    expect(page.get_by_role("heading", name="Sign in with a development token")).to_be_visible()
    accessible(page, "sign-in")
    shot(page, "01-sign-in")
    expect(page.get_by_text("Loading the console")).to_have_count(0)
    page.get_by_label("Development token").fill("not-a-token")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Unauthorized")
    expect(page.get_by_label("Development token")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0, "a refused token is not kept"
    sign_in(page, server.base, alice)
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    storage_holds_no_token(page, alice)
    page.get_by_label("Name").fill("Acme")
    page.get_by_role("button", name="Create organization").click()
    expect(page.get_by_role("heading", name="Acme", exact=True)).to_be_visible()
    expect(page.get_by_label("Organization").locator("option:checked")).to_have_text("Acme")
    expect(page.locator(".who")).to_contain_text("owner")
    shot(page, "02-org")

    visit(page, "projects")
    new = page.locator("section.card", has=page.get_by_role("heading", name="New project"))
    new.get_by_label("Name").fill("bad/name")
    new.get_by_role("button", name="Create project").click()
    expect(new.locator(".field-error")).to_be_visible()
    expect(new.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    new.get_by_label("Name").fill("web")
    new.get_by_label("Description").fill("The storefront")
    new.get_by_role("button", name="Create project").click()
    item = page.locator("li[data-project='web']")
    expect(item).to_be_visible()
    expect(item.locator(".status")).to_have_text("active", timeout=WORK)
    shot(page, "03-projects")


def card(page: Page, title: str):
    """The card (section) whose heading is `title`."""
    return page.locator("section.card", has=page.get_by_role("heading", name=title, exact=True))


def confirm(page: Page, button: str):
    page.get_by_role("dialog").get_by_role("button", name=button).click()


def scenario_projects(page: Page):
    visit(page, "projects")
    new = card(page, "New project")
    new.get_by_label("Name").fill("scratch")
    new.get_by_role("button", name="Create project").click()
    scratch = page.locator("li[data-project='scratch']")
    expect(scratch.locator(".status")).to_have_text("active", timeout=WORK)
    web = page.locator("li[data-project='web']")
    web.get_by_role("button", name="Edit").click()
    web.get_by_label("Description").fill("The shop front")
    web.get_by_role("button", name="Save").click()
    expect(web).to_contain_text("The shop front")
    scratch.get_by_role("button", name="Archive").click()
    confirm(page, "Yes, archive")
    expect(scratch.locator(".status")).to_have_text("archived")
    page.get_by_label("Status").select_option("archived")
    expect(page.locator("li[data-project]")).to_have_count(1)
    expect(page.locator("li[data-project='scratch']")).to_be_visible()
    page.get_by_label("Status").select_option("")
    scratch.get_by_role("button", name="Unarchive").click()
    expect(scratch.locator(".status")).to_have_text("active")
    scratch.get_by_role("button", name="Delete").click()
    confirm(page, "Yes, delete")
    expect(page.locator("li[data-project='scratch']")).to_have_count(0)
    expect(page.locator("li[data-project]")).to_have_count(1)


def scenario_keys(page: Page, server: Server):
    visit(page, "keys")
    form = page.locator("section.card", has=page.get_by_role("heading", name="New key"))
    form.get_by_label("Name", exact=True).fill("ci")
    form.get_by_label("projects:read").check()
    form.get_by_role("button", name="Create key").click()
    reveal = page.get_by_role("region", name="New key ci")
    expect(reveal).to_contain_text("shown only this once")
    token = reveal.get_by_test_id("secret").inner_text()
    assert token.startswith("sk_"), token
    reveal.get_by_role("button", name="Copy").click()
    expect(reveal.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token
    shot(page, "05-key-created")
    reveal.get_by_role("button", name="I have stored it").click()
    expect(page.get_by_test_id("secret")).to_have_count(0)
    page.reload()
    expect(page.locator("li[data-key='ci']")).to_be_visible()
    assert token not in page.content(), "the token is shown once only"
    assert call(server.base, "GET", "/v1/projects", token) == 200, "the copied key works"

    item = page.locator("li[data-key='ci']")
    item.get_by_role("button", name="Usage").click()
    expect(item).to_contain_text("Last used")
    item.get_by_role("button", name="Rotate").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, rotate").click()
    rotated = page.get_by_role("region", name="Rotated key ci").get_by_test_id("secret").inner_text()
    assert rotated != token and rotated.startswith("sk_")
    assert call(server.base, "GET", "/v1/projects", rotated) == 200, "the new token works"
    assert call(server.base, "GET", "/v1/projects", token) == 200, "the old one, within its grace period"
    page.get_by_role("button", name="I have stored it").click()
    expect(item).to_contain_text("previous token valid until")
    item.get_by_role("button", name="Disable").click()
    expect(item.locator(".status")).to_have_text("disabled")
    assert call(server.base, "GET", "/v1/projects", rotated) == 401, "a disabled key is refused"
    item.get_by_role("button", name="Enable").click()
    expect(item.locator(".status")).to_have_text("enabled")
    item.get_by_role("button", name="Revoke").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, revoke").click()
    expect(item.locator(".status")).to_have_text("revoked")
    assert call(server.base, "GET", "/v1/projects", rotated) == 401, "a revoked key is refused"
    assert call(server.base, "GET", "/v1/projects", token) == 401
    form.get_by_label("Name", exact=True).fill("agent")
    form.get_by_label("Type").select_option("mcp")
    form.get_by_label("Tools").fill("projects_get jobs_list")
    form.get_by_role("button", name="Create key").click()
    agent = page.get_by_role("region", name="New key agent").get_by_test_id("secret").inner_text()
    assert agent.startswith("mcp_"), agent
    page.get_by_role("button", name="I have stored it").click()
    expect(page.locator("li[data-key='agent']")).to_contain_text("mcp:tool:jobs_list, mcp:tool:projects_get")
    shot(page, "05-keys")


def scenario_viewer(browser, page: Page, server: Server):
    visit(page, "org")
    members = page.locator("section.card", has=page.get_by_role("heading", name="Members"))
    members.get_by_label("Email or user id").fill("victor")
    members.get_by_label("Role", exact=True).select_option("viewer")
    members.get_by_role("button", name="Invite").click()
    expect(members.get_by_label("Role of victor")).to_have_value("viewer")

    victor_token = server.token("victor", "--email", "victor@example.com")
    context = browser.new_context()
    viewer = context.new_page()
    sign_in(viewer, server.base, victor_token)
    expect(viewer.locator(".who")).to_contain_text("viewer")
    visit(viewer, "projects")
    create = viewer.get_by_role("button", name="Create project")
    expect(create).to_be_disabled()
    expect(create).to_have_attribute("title", "Your role does not grant projects:write")
    expect(viewer.locator("li[data-project='web']").get_by_role("button", name="Delete")).to_be_disabled()
    accessible(viewer, "projects as a viewer")
    shot(viewer, "06-viewer-projects")
    visit(viewer, "org")
    expect(viewer.get_by_role("button", name="Invite")).to_be_disabled()
    expect(viewer.get_by_role("button", name="Remove").first).to_be_disabled()
    visit(viewer, "me")
    expect(viewer.locator(".permissions .granted")).to_contain_text(["projects:read"])
    expect(viewer.locator(".permissions .denied", has_text="projects:write")).to_have_count(1)
    assert call(server.base, "POST", "/v1/projects", victor_token, {"name": "sneaky"}) == 403, "and the API refuses"
    context.close()


def verify_signature(secret: str, headers: dict, body: bytes):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert f"v1,{expected}" in headers["webhook-signature"].split(" "), "Standard Webhooks signature"


def scenario_organization(page: Page, server: Server, alice: str):
    org = server.rest("GET", "/v1/orgs", alice)[1]["data"][0]["id"]
    visit(page, "org")
    members = card(page, "Members")
    members.get_by_label("Role of victor").select_option("developer")
    wait_for(lambda: {m["user_id"]: m["role"] for m in server.rest("GET", f"/v1/orgs/{org}/members", alice)[1]["data"]}
             .get("victor") == "developer", "victor is a developer")
    matrix = card(page, "Roles and permissions")
    expect(matrix.get_by_label("owner grants audit:read")).to_be_disabled()
    granted = matrix.get_by_label("developer grants audit:read")
    expect(granted).not_to_be_checked()
    granted.check()
    matrix.get_by_role("button", name="Save roles").click()
    wait_for(lambda: "audit:read" in {r["name"]: r["permissions"] for r in server.rest("GET", f"/v1/orgs/{org}/roles", alice)[1]["roles"]}
             ["developer"], "developers may read the audit log")
    members.locator("tr", has=page.get_by_label("Role of victor")).get_by_role("button", name="Remove").click()
    confirm(page, "Yes, remove")
    expect(members.get_by_label("Role of victor")).to_have_count(0)
    card(page, "New organization").get_by_label("Name").fill("Beta")
    card(page, "New organization").get_by_role("button", name="Create organization").click()
    expect(page.get_by_role("heading", name="Beta", exact=True)).to_be_visible()
    expect(page.get_by_label("Organization").locator("option")).to_have_count(2)
    page.get_by_label("Organization").select_option(label="Acme")
    expect(page.get_by_role("heading", name="Acme", exact=True)).to_be_visible()
    expect(page.locator(".who")).to_contain_text("owner")


def scenario_usage(page: Page, server: Server, alice: str):
    status, projects = server.rest("GET", "/v1/projects", alice)
    project = projects["data"][0]["id"]
    for amount in (600_000, 250_000):
        request = urllib.request.Request(f"{server.base}/internal/usage", method="POST",
                                         data=json.dumps({"project_id": project, "service": "api_requests", "amount": amount}).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request).close()
    visit(page, "usage")
    expect(page.get_by_role("figure").filter(has_text="api requests by day")).to_be_visible()
    meter = page.get_by_role("meter", name="api requests quota used")
    expect(meter).to_have_attribute("aria-valuenow", "85")
    expect(meter).to_have_class("meter warn")
    page.get_by_label("Monthly limit for mcp calls").fill("5000")
    page.get_by_role("button", name="Save quotas").click()
    expect(page.get_by_role("button", name="Save quotas")).to_be_enabled()
    budget = page.locator("section.card", has=page.get_by_role("heading", name="Budget"))
    budget.get_by_label("Monthly budget (USD)").fill("0.25")
    budget.get_by_label("Alert thresholds (%)").fill("50, 80")
    budget.get_by_role("button", name="Save budget").click()
    expect(page.locator("section.card", has_text="Cost for").locator("dd").nth(2)).to_have_text("$0.25")
    _, quotas = server.rest("GET", f"/v1/quotas/{project}", alice)
    assert quotas["services"]["mcp_calls"]["monthly_limit"] == 5000, quotas
    _, budget_set = server.rest("GET", f"/v1/budgets/{project}", alice)
    assert (budget_set["monthly_amount_cents"], budget_set["alert_thresholds"]) == (25, [50, 80]), budget_set
    accessible(page, "usage with data")
    shot(page, "04-usage")


def scenario_webhook(page: Page, receiver: Receiver):
    visit(page, "webhooks")
    form = page.locator("section.card", has=page.get_by_role("heading", name="New webhook"))
    form.get_by_label("Endpoint URL").fill(f"{receiver.url}/hooks")
    form.get_by_label("key.*").check()
    form.get_by_role("button", name="Create webhook").click()
    secret = page.get_by_test_id("secret").inner_text()
    assert secret.startswith("whsec_"), secret
    page.get_by_role("button", name="I have stored it").click()
    page.get_by_role("link", name=f"{receiver.url}/hooks").click()
    expect(page.get_by_role("heading", name="Deliveries")).to_be_visible()
    page.get_by_role("button", name="Send test event").click()
    delivery = page.locator("li[data-delivery]").first
    expect(delivery.locator(".status")).to_have_text("succeeded", timeout=WORK)
    expect(delivery.locator("tbody tr").first).to_contain_text("200")
    hooks = [r for r in receiver.requests if r[1] == "/hooks"]
    assert hooks, "the receiver got the test delivery"
    verify_signature(secret, hooks[-1][2], hooks[-1][3])
    accessible(page, "webhook detail")
    shot(page, "07-webhook-deliveries")


def scenario_jobs(page: Page, receiver: Receiver):
    """A delivery to an endpoint that is down is retried with backoff: after
    its second failure the next try is minutes away, so its job waits
    (pending) and can be cancelled."""
    visit(page, "webhooks")
    form = page.locator("section.card", has=page.get_by_role("heading", name="New webhook"))
    form.get_by_label("Endpoint URL").fill(f"{receiver.url}/down")
    form.get_by_role("button", name="Create webhook").click()
    page.get_by_role("button", name="I have stored it").click()
    page.get_by_role("link", name=f"{receiver.url}/down").click()
    page.get_by_role("button", name="Send test event").click()
    delivery = page.locator("li[data-delivery]").first
    expect(delivery.locator("tbody tr")).to_have_count(2, timeout=WORK)
    expect(delivery).to_contain_text("Next retry")
    expect(delivery.locator("tbody tr").first).to_contain_text("503")
    visit(page, "jobs")
    page.get_by_label("Status").select_option("pending")
    page.get_by_label("Type").select_option("deliver_webhook")
    row = page.locator("tr[data-job]").first
    expect(row).to_contain_text("2 / ")
    expect(row.get_by_role("button", name="Retry")).to_have_count(0)
    row.get_by_role("button", name="Cancel").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, cancel").click()
    expect(page.locator("tr[data-job]")).to_have_count(0)
    page.get_by_label("Status").select_option("cancelled")
    expect(page.locator("tr[data-job]").first.locator(".status")).to_have_text("cancelled")
    accessible(page, "jobs")
    shot(page, "09-jobs")
    visit(page, "webhooks")
    page.get_by_role("link", name=f"{receiver.url}/down").click()
    page.get_by_role("button", name="Rotate secret").click()
    confirm(page, "Yes, rotate secret")
    rotated = page.get_by_role("region", name="New signing secret").get_by_test_id("secret").inner_text()
    assert rotated.startswith("whsec_"), rotated
    page.get_by_role("button", name="I have stored it").click()
    expect(page.locator("main")).to_contain_text("previous secret valid until")
    settings = card(page, "Settings")
    settings.get_by_label("Description").fill("always down")
    settings.get_by_role("button", name="Save").click()
    expect(card(page, "Settings").get_by_label("Description")).to_have_value("always down")
    attempts = page.locator("li[data-delivery]").first.locator("tbody tr")
    expect(attempts).to_have_count(2)
    page.locator("li[data-delivery]").first.get_by_role("button", name="Redeliver").click()
    # A third attempt joins the log (a fourth may follow it 5 s later).
    expect(attempts.nth(2)).to_be_attached(timeout=WORK)
    page.get_by_role("button", name="Delete").click()
    confirm(page, "Yes, delete")
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=f"{receiver.url}/down")).to_have_count(0)


def scenario_failed_provisioning(browser, binary: str):
    """A project whose provisioning fails shows why, and is retried from the
    console; a failed job is retried from the jobs screen."""
    with Server(binary, CONTROLPLANE_PROVISION_FAIL="no capacity in the region") as server:
        token = server.token("fay")
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, server.base, token)
        page.get_by_label("Name").fill("Failing")
        page.get_by_role("button", name="Create organization").click()
        visit(page, "projects")
        new = page.locator("section.card", has=page.get_by_role("heading", name="New project"))
        new.get_by_label("Name").fill("doomed")
        new.get_by_role("button", name="Create project").click()
        item = page.locator("li[data-project='doomed']")
        expect(item.locator(".status")).to_have_text("failed", timeout=WORK)
        expect(item).to_contain_text("no capacity in the region")
        item.get_by_role("button", name="Retry provisioning").click()
        # The project is failed before and after the retry: wait for the second job's end on the server.
        wait_for(lambda: [j["status"] for j in server.rest("GET", "/v1/jobs?type=provision_project", token)[1]["data"]]
                 == ["failed", "failed"], "both provisioning jobs failed")
        expect(page.locator("li[data-project='doomed'] .status")).to_have_text("failed")
        visit(page, "jobs")
        page.get_by_label("Status").select_option("failed")
        failed = page.locator("tr[data-job]")
        expect(failed).to_have_count(2, timeout=WORK)
        expect(failed.first).to_contain_text("no capacity in the region")
        retried = failed.first.get_attribute("data-job")
        _, before = server.rest("GET", f"/v1/jobs/{retried}", token)
        failed.first.get_by_role("button", name="Retry").click()
        # The retry runs the job again (and it fails again): its version moves on.
        wait_for(lambda: (lambda job: job["status"] == "failed" and job["version"] > before["version"])(
            server.rest("GET", f"/v1/jobs/{retried}", token)[1]), "the retried job ran again")
        page.get_by_label("Status").select_option("")
        expect(page.locator(f"tr[data-job='{retried}'] .status")).to_have_text("failed")
        shot(page, "14-failed-provisioning")
        context.close()


def scenario_source(page: Page, receiver: Receiver):
    visit(page, "credentials")
    form = page.locator("section.card", has=page.get_by_role("heading", name="New credential"))
    form.get_by_label("Name", exact=True).fill("gateway token")
    form.get_by_label("Kind").select_option("token")
    form.get_by_label("Token").fill("tok-console-test-value")
    form.get_by_role("button", name="Store credential").click()
    expect(page.locator("li.item", has_text="gateway token")).to_contain_text("Fingerprint")
    expect(form.get_by_label("Token")).to_have_value("")
    assert "tok-console-test-value" not in page.content(), "the value is never shown again"

    visit(page, "sources")
    page.get_by_role("button", name="New source").click()
    form = page.locator("section.card", has=page.get_by_role("heading", name="New source"))
    form.get_by_label("Name", exact=True).fill("edge gateway")
    form.get_by_label("Kind").select_option("runtime.gateway")
    form.get_by_label("Credential").select_option(label="gateway token (token)")
    form.get_by_label("Url").fill(f"{receiver.url}/gateway")
    form.get_by_role("button", name="Create source").click()
    expect(page.get_by_role("heading", name="edge gateway")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("gateway token (token")

    schedules = page.locator("section.card", has=page.get_by_role("heading", name="Schedules"))
    schedules.get_by_label("Cron or rate").fill("30 6 * * 1")
    schedules.get_by_label("Time zone").fill("Europe/Berlin")
    expect(schedules.locator(".preview li")).to_have_count(5)
    schedules.get_by_role("button", name="Add schedule").click()
    expect(schedules.locator("tbody tr")).to_contain_text(["30 6 * * 1"])

    page.get_by_role("button", name="Run now").click()
    jobs = page.locator("section.card", has=page.get_by_role("heading", name="Jobs"))
    expect(jobs.locator("tbody tr").first.locator(".status")).to_have_text("completed", timeout=WORK)
    evidence = page.locator("section.card", has=page.get_by_role("heading", name="Evidence"))
    expect(evidence.get_by_role("link").first).to_contain_text("reachable", timeout=WORK)
    probes = [r for r in receiver.requests if r[1] == "/gateway"]
    assert probes, "the run reached the gateway"
    assert probes[-1][2].get("authorization") == "Bearer tok-console-test-value", f"with the credential: {probes[-1][2]}"
    accessible(page, "source detail")
    shot(page, "08-source")
    page.get_by_role("button", name="Test connection").click()
    expect(jobs.locator("tbody tr", has_text="test source").locator(".status")).to_have_text("completed", timeout=WORK)
    schedules.get_by_label("Schedule 30 6 * * 1 enabled").uncheck()
    expect(schedules.locator("tbody tr").first).to_contain_text("paused")
    page.get_by_role("button", name="Edit", exact=True).click()
    card(page, "Edit source").get_by_label("Name", exact=True).fill("edge gateway (prod)")
    card(page, "Edit source").get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="edge gateway (prod)")).to_be_visible()
    expect(card(page, "Audit trail")).to_contain_text("source.updated")
    evidence.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Provenance")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("matches the report", timeout=WORK)
    expect(page.get_by_label("Evidence report")).to_contain_text("reachable")
    accessible(page, "evidence")
    shot(page, "10-evidence")
    visit(page, "credentials")
    item = page.locator("li.item", has_text="gateway token")
    expect(item).to_contain_text("Used by 1 source: edge gateway (prod)")
    item.get_by_role("button", name="Test").click()
    expect(item).to_contain_text("Last test", timeout=WORK)
    expect(item.get_by_role("button", name="Test")).to_be_enabled(timeout=WORK)


def scenario_audit(page: Page):
    visit(page, "audit")
    page.get_by_role("button", name="Verify the chain").click()
    expect(page.locator("p.ok", has_text="Intact")).to_be_visible(timeout=WORK)
    page.get_by_label("Action (e.g. key.* )").fill("key.*")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr").first).to_contain_text("key.")
    page.get_by_label("Action (e.g. key.* )").fill("")
    page.get_by_role("button", name="Apply filters").click()
    with page.expect_download(timeout=WORK) as download:
        page.get_by_role("button", name="Export CSV").click()
    path = SHOTS / "audit-export.csv"
    download.value.save_as(path)
    expect(page.locator("p.ok", has_text="Downloaded and verified")).to_be_visible()
    subprocess.run([sys.executable, str(ROOT / "scripts" / "verify_audit_export.py"), str(path)], check=True)
    shot(page, "11-audit")


def every_screen(page: Page, phone: bool):
    for section in SCREENS:
        visit(page, section)
        expect(page.locator("main h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        accessible(page, f"{section} ({'phone' if phone else 'desktop'})")
        if phone:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{section} is {width} px wide on a 375 px phone"
            shot(page, f"phone-{section}")
        else:
            shot(page, f"screen-{section}")


def scenario_api_unavailable(page: Page, token: str):
    """An API that answers 503 at sign-in keeps the session, to try again."""
    busy = json.dumps({"type": "about:blank", "title": "Service Unavailable", "status": 503,
                       "detail": "the store is unreachable", "code": "store_unavailable"})
    page.route("**/v1/orgs?*", lambda route: route.fulfill(status=503, content_type="application/problem+json", body=busy))
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("the store is unreachable")
    assert token in page.evaluate("sessionStorage.getItem('controlplane.session')"), "the session is kept"
    page.unroute("**/v1/orgs?*")
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("main h1")).to_be_visible()


def scenario_sign_out(page: Page, token: str):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Development token")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0, "sign-out forgets the token"
    storage_holds_no_token(page, token)
    page.reload()
    expect(page.get_by_label("Development token")).to_be_visible()


def scenario_reference_page(page: Page, base: str):
    page.goto(base + "/v1/docs")
    expect(page.get_by_text("Create an organization").first).to_be_attached(timeout=WORK)
    shot(page, "12-reference", full_page=False)


def scenario_oidc(browser, binary: str):
    with Issuer("console", "controlplane", "oidc|olivia", "olivia@example.com") as issuer:
        env = {"CONTROLPLANE_OIDC_ISSUER": issuer.url, "CONTROLPLANE_OIDC_AUDIENCE": "controlplane",
               "CONTROLPLANE_CONSOLE_OIDC_CLIENT_ID": "console", "CONTROLPLANE_DEV_AUTH": "false"}
        with Server(binary, **env) as server:
            context = browser.new_context()
            page = context.new_page()
            page.goto(server.base + "/")
            expect(page.get_by_label("Development token")).to_have_count(0)
            page.get_by_role("button", name="Sign in with single sign-on").click()
            expect(page.get_by_role("heading", name="Welcome")).to_be_visible(timeout=WORK)
            assert issuer.redeemed, "the code was redeemed with its verifier"
            assert "code=" not in page.url, "the code is not left in the address bar"
            assert page.evaluate("JSON.stringify(Object.assign({}, localStorage))") == "{}"
            visit(page, "me")
            expect(page.locator(".facts")).to_contain_text("single sign-on (OIDC)")
            expect(page.locator(".facts")).to_contain_text("olivia@example.com")
            shot(page, "13-oidc-me")
            page.get_by_role("button", name="Sign out").click()
            expect(page.get_by_role("button", name="Sign in with single sign-on")).to_be_visible()
            assert page.evaluate("sessionStorage.length") == 0
            context.close()


def overview(browser):
    """The main screens side by side (the README's picture), from this run's screenshots."""
    cells = ["03-projects", "05-keys", "08-source", "04-usage"]
    images = "".join(
        f'<div><img alt="" src="data:image/png;base64,{base64.b64encode((SHOTS / f"{name}.png").read_bytes()).decode()}"></div>'
        for name in cells)
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.set_content("<style>body{margin:0;display:grid;grid-template-columns:1fr 1fr;gap:8px;background:#8c959f}"
                     "div{height:496px;overflow:hidden}img{width:100%;display:block}</style>" + images)
    page.screenshot(path=str(SHOTS / "overview.png"))
    page.close()


def main():
    binary = sys.argv[1]
    SHOTS.mkdir(parents=True, exist_ok=True)
    receiver = Receiver()
    started = time.time()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        with Server(binary, CONTROLPLANE_WEBHOOKS_ALLOW_LOCAL="true") as server:
            alice = server.token("alice", "--email", "alice@example.com")
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base)
            context.set_default_timeout(15_000)
            page = context.new_page()
            steps = [
                ("sign in, org and project", lambda: scenario_sign_in_org_and_project(page, server, alice)),
                ("usage, quotas and budget", lambda: scenario_usage(page, server, alice)),
                ("projects: edit, archive, filter, delete", lambda: scenario_projects(page)),
                ("API keys", lambda: scenario_keys(page, server)),
                ("a viewer", lambda: scenario_viewer(browser, page, server)),
                ("roles, members and a second org", lambda: scenario_organization(page, server, alice)),
                ("a webhook's test delivery", lambda: scenario_webhook(page, receiver)),
                ("a pending job cancelled", lambda: scenario_jobs(page, receiver)),
                ("a source with a credential and a schedule", lambda: scenario_source(page, receiver)),
                ("the audit log", lambda: scenario_audit(page)),
                ("every screen at desktop width", lambda: every_screen(page, phone=False)),
                ("every screen on a phone", lambda: (page.set_viewport_size({"width": 375, "height": 812}), every_screen(page, phone=True))),
                ("the API unavailable at sign-in", lambda: scenario_api_unavailable(page, alice)),
                ("sign-out", lambda: scenario_sign_out(page, alice)),
                ("the API reference page", lambda: (page.set_viewport_size({"width": 1280, "height": 900}), scenario_reference_page(page, server.base))),
            ]
            for name, step in steps:
                step()
                print(f"console: {name}: passed")
            context.close()
        scenario_oidc(browser, binary)
        print("console: sign-in with OIDC (Authorization Code + PKCE): passed")
        scenario_failed_provisioning(browser, binary)
        print("console: a failed provisioning, retried: passed")
        overview(browser)
        browser.close()
    print(f"console: every scenario passed in {time.time() - started:.0f} s; screenshots in {SHOTS}")


if __name__ == "__main__":
    main()

// The TypeScript client's smoke test, run by tests/clients/smoke.py
// against a local server (CONTROLPLANE_URL, CONTROLPLANE_TOKEN).

import assert from "node:assert/strict";
import { createControlPlaneClient, ProblemError, unwrap } from "../src/index.js";

const baseUrl = process.env.CONTROLPLANE_URL!;
const token = process.env.CONTROLPLANE_TOKEN!;

async function problemOf(call: Promise<unknown>): Promise<ProblemError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  assert.fail("expected a problem answer");
}

const user = createControlPlaneClient({ baseUrl, token });

// An org and a project.
const org = unwrap(await user.POST("/v1/orgs", { body: { name: "TypeScript smoke" } }));
const member = createControlPlaneClient({ baseUrl, token, orgId: org.id });
const project = unwrap(await member.POST("/v1/projects", { body: { name: "web" } }));
assert.equal(project.org_id, org.id);
console.log("ok: an org and a project");

// A key, used.
const key = unwrap(
  await member.POST("/v1/keys", {
    body: { project_id: project.id, name: "reader", type: "secret", scopes: ["projects:read", "projects:write"] },
  }),
);
assert.ok(key.token?.startsWith("sk_live_"));
const withKey = createControlPlaneClient({ baseUrl, token: key.token! });
const read = unwrap(await withKey.GET("/v1/projects/{project_id}", { params: { path: { project_id: project.id } } }));
assert.equal(read.id, project.id);
console.log("ok: a key created and used");

// Paging with the cursor.
for (const name of ["api", "jobs", "docs"]) {
  unwrap(await member.POST("/v1/projects", { body: { name } }));
}
const names: string[] = [];
let cursor: string | undefined;
let pages = 0;
do {
  const page = unwrap(await member.GET("/v1/projects", { params: { query: { limit: 2, cursor } } }));
  names.push(...page.data.map((p) => p.name));
  cursor = page.next_cursor ?? undefined;
  pages += 1;
} while (cursor);
assert.deepEqual(names.sort(), ["api", "docs", "jobs", "web"]);
assert.equal(pages, 2);
console.log("ok: two pages through the cursor");

// A 409 as a typed error.
const taken = await problemOf(member.POST("/v1/projects", { body: { name: "web" } }).then(unwrap));
assert.equal(taken.status, 409);
assert.equal(taken.code, "name_taken");
console.log("ok: 409 name_taken as a ProblemError");

// An Idempotency-Key replay: the same project, marked as replayed.
const once = { body: { name: "once" }, params: { header: { "Idempotency-Key": "smoke-once" } } };
const first = await member.POST("/v1/projects", once);
const again = await member.POST("/v1/projects", once);
assert.equal(unwrap(first).id, unwrap(again).id);
assert.equal(again.response.headers.get("Idempotent-Replayed"), "true");
console.log("ok: an Idempotency-Key replay returns the same project");

// A 429 as a typed error: the key's own write limit (a key is its own
// principal), spent on creates only members may make (403 once counted).
let limited: ProblemError | undefined;
for (let i = 0; i < 1000 && !limited; i++) {
  const refused = await problemOf(withKey.POST("/v1/projects", { body: { name: "spent" } }).then(unwrap));
  if (refused.status === 429) limited = refused;
  else assert.equal(refused.status, 403);
}
assert.ok(limited, "no 429 within 1000 writes");
assert.equal(limited.code, "rate_limited");
assert.ok((limited.retryAfter ?? 0) >= 1);
console.log("ok: 429 rate_limited as a ProblemError with retryAfter");

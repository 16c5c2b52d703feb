// The gate's self-test: each kind of breaking change, made to a copy of
// openapi.json, is caught; the unchanged document and a listed change
// pass.
//
//   node selftest.mjs OPENAPI.json

import assert from "node:assert/strict";
import fs from "node:fs";
import { allowances, unlisted } from "./gate.mjs";

const original = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const copy = () => structuredClone(original);
const schema = (doc, name) => doc.components.schemas[name];

const breaks = {
  "a removed operation": (doc) => delete doc.paths["/v1/projects/{project_id}"].delete,
  "a removed response field": (doc) => delete schema(doc, "Project").properties.environment,
  "a new required input": (doc) => {
    schema(doc, "CreateProject").properties.region = { type: "string" };
    schema(doc, "CreateProject").required.push("region");
  },
  "a narrowed type": (doc) => (schema(doc, "CreateOrg").properties.name = { type: "string", maxLength: 10 }),
  "a changed status code": (doc) => {
    const responses = doc.paths["/v1/projects"].post.responses;
    responses["200"] = responses["201"];
    delete responses["201"];
  },
};

assert.deepEqual(unlisted(original, copy(), []), [], "the unchanged document has no breaking change");
for (const [kind, breakIt] of Object.entries(breaks)) {
  const broken = copy();
  breakIt(broken);
  const found = unlisted(original, broken, []);
  assert.ok(found.length > 0, `${kind} is not caught`);
  console.log(`ok: ${kind} is caught (${found[0].method.toUpperCase()} ${found[0].path} ${found[0].where})`);
}

const listed = copy();
breaks["a new required input"](listed);
const allow = allowances("- `POST /v1/projects` `requestBody/**`: region is now required (example)\n");
assert.deepEqual(unlisted(original, listed, allow), [], "a listed change passes");
const other = allowances("- `POST /v1/orgs` `requestBody/**`: another operation\n");
assert.ok(unlisted(original, listed, other).length > 0, "an entry for another operation does not cover it");
console.log("ok: a change listed in docs/api-changes.md passes, and only that one");

// The breaking-change gate: compares two OpenAPI documents with
// api-smart-diff and fails on a breaking change that
// docs/api-changes.md does not list.
//
//   node gate.mjs BEFORE.json AFTER.json ALLOW.md
//
// Both documents are dereferenced first (every `$ref` written out, the
// components dropped), so each change is reported on the operation it
// reaches, in its request or response, and a schema moved into or out of
// `components` is no change at all.

import fs from "node:fs";
import { apiCompare } from "api-smart-diff";

/** `doc` with every local `$ref` in its paths written out. */
export function dereference(doc) {
  const resolve = (node, seen) => {
    if (Array.isArray(node)) return node.map((n) => resolve(n, seen));
    if (node === null || typeof node !== "object") return node;
    if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) {
      if (seen.includes(node.$ref)) return { description: `(recursive ${node.$ref})` };
      const target = node.$ref
        .slice(2)
        .split("/")
        .reduce((parent, key) => parent?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], doc);
      if (target === undefined) throw new Error(`unresolved ${node.$ref}`);
      const { $ref, ...siblings } = node;
      return resolve({ ...target, ...siblings }, [...seen, node.$ref]);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value, seen)]));
  };
  return { openapi: doc.openapi, info: doc.info, paths: resolve(doc.paths ?? {}, []) };
}

/**
 * The allowed changes: lines `- \`METHOD /path\` \`where\`: why`, where
 * `where` is the rest of the change's location (`requestBody/…/name/pattern`),
 * `*` standing for one step and `**` for any number.
 */
export function allowances(markdown) {
  const entries = [];
  for (const line of markdown.split("\n")) {
    const m = line.match(/^- `([A-Z]+) (\/[^`]*)` `([^`]+)`: (.+)$/);
    if (!m) continue;
    const glob = m[3]
      .split("/")
      .map((step) => (step === "**" ? ".*" : step.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")))
      .join("/");
    entries.push({ method: m[1].toLowerCase(), path: m[2], where: new RegExp(`^${glob.replaceAll("/.*", "(/.*)?")}$`), why: m[4] });
  }
  return entries;
}

/**
 * Whether a change breaks a client: api-smart-diff's classification, and
 * also any removed field (optional ones included: a client reads it from
 * a response, and a request that still sends it is refused, since bodies
 * take no unknown field).
 */
function breaking(diff) {
  return diff.type === "breaking" || (diff.action === "remove" && diff.path.at(-2) === "properties");
}

/** Breaking changes from `before` to `after` that `allowed` does not list. */
export function unlisted(before, after, allowed) {
  const { diffs } = apiCompare(dereference(before), dereference(after));
  return diffs
    .filter(breaking)
    .map((d) => {
      const [root, path, method, ...rest] = d.path.map(String);
      return { root, path, method, where: rest.join("/"), description: d.description ?? `${d.action} ${d.path.join("/")}` };
    })
    .filter((c) => !allowed.some((a) => c.root === "paths" && a.method === c.method && a.path === c.path && a.where.test(c.where)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [before, after, allow] = process.argv.slice(2);
  const read = (file) => JSON.parse(fs.readFileSync(file, "utf8"));
  const found = unlisted(read(before), read(after), allowances(fs.readFileSync(allow, "utf8")));
  for (const change of found) {
    console.log(`breaking: ${change.method?.toUpperCase() ?? ""} ${change.path ?? ""} ${change.where}\n  ${change.description}`);
  }
  if (found.length > 0) {
    console.error(
      `${found.length} breaking change(s) to the API. Version the route (docs/versioning.md) or, if it is meant, ` +
        `list each in ${allow} as - \`METHOD /path\` \`where\`: why`,
    );
    process.exit(1);
  }
  console.log("no unlisted breaking change");
}

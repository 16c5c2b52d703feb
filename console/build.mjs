// Bundles the console into OUT (default dist/): index.html, app.js (Preact,
// the generated client and the screens, minified) and app.css. The output
// is deterministic for a given lockfile, so `scripts/build-console --check`
// can compare it with the committed dist/.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = process.argv[2] ?? "dist";
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: "src/main.tsx" },
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  alias: { "@controlplane/client": "../clients/typescript/src/index.ts" },
  legalComments: "eof",
  outdir: out,
  logLevel: "warning",
});
await build({ entryPoints: { app: "src/styles.css" }, bundle: true, minify: true, outdir: out, logLevel: "warning" });
copyFileSync("src/index.html", join(out, "index.html"));
// The licences of the packages bundled into app.js.
const licences = [
  ["preact", "node_modules/preact/LICENSE"],
  ["openapi-fetch", "../clients/typescript/node_modules/openapi-fetch/LICENSE"],
].map(([name, path]) => `${name}\n\n${readFileSync(path, "utf8").trim()}\n`);
writeFileSync(join(out, "THIRD-PARTY-LICENSES.txt"), licences.join("\n---\n\n"));

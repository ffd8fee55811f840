#!/usr/bin/env node
// Entry point. An installed drdrill runs its compiled JavaScript (dist/). A checkout runs dist/ only
// when it was built from exactly the sources beside it (bin/source-stamp.js), else the TypeScript
// sources through tsx (a development dependency): editing never needs a build step, and a stale
// dist/ is never run. DRDRILL_FROM_SOURCE=1 runs the sources even when dist/ is current.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { distIsCurrent } from "./source-stamp.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const compiled = new URL("../dist/harness/cli/main.js", import.meta.url);
const source = new URL("../harness/cli/main.ts", import.meta.url);
const checkout = existsSync(source);
const useSource = checkout && (process.env.DRDRILL_FROM_SOURCE === "1" || !distIsCurrent(root));

let entry = compiled;
if (useSource) {
  const tsx = await import("tsx/esm/api").catch(() => null);
  if (!tsx) {
    process.stderr.write(
      "drdrill: the sources changed since dist/ was built, and tsx is not installed: npm run build\n",
    );
    process.exit(3);
  }
  tsx.register();
  entry = source;
} else if (!existsSync(compiled)) {
  process.stderr.write(`drdrill: ${fileURLToPath(compiled)} is missing: this copy was never built (npm run build)\n`);
  process.exit(3);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));

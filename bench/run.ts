// `npm run bench`: runs every bench/*.bench.ts module and writes their numbers to bench/results/.
// A module default-exports { name, run(): Promise<Record<string, unknown>> }.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BenchModule {
  name: string;
  run(): Promise<Record<string, unknown>>;
}

const here = fileURLToPath(new URL(".", import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(here)).filter((f) => f.endsWith(".bench.ts")).sort();
const out = join(here, "results", "latest.json");
// Benchmarks run one at a time keep the others' last numbers.
const previous = JSON.parse(await readFile(out, "utf8").catch(() => "{}")) as Record<string, unknown>;
const results: Record<string, unknown> = { ...previous, date: new Date().toISOString(), node: process.version };
for (const f of files) {
  const mod = ((await import(pathToFileURL(join(here, f)).href)) as { default: BenchModule }).default;
  if (only.length > 0 && !only.includes(mod.name)) continue;
  process.stderr.write(`bench: ${mod.name} ...\n`);
  results[mod.name] = await mod.run();
  process.stderr.write(`${JSON.stringify(results[mod.name], null, 2)}\n`);
}
await mkdir(join(here, "results"), { recursive: true });
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`bench: numbers written to ${out}\n`);

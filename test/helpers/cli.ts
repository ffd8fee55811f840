// Runs the drdrill CLI as a user would: a separate process, its exit code, stdout and stderr.
import { execa, type ResultPromise } from "execa";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export const ROOT = new URL("../..", import.meta.url).pathname;

export function drdrill(
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs?: number } = {},
): ResultPromise<{ reject: false; all: true }> {
  // The drills run the sources (as a checkout does while it is edited), even where an npm pack or install
  // built dist/ beside them: a reporter written in TypeScript loads only there.
  return execa(process.execPath, [join(ROOT, "bin/drdrill.js"), ...args], {
    cwd: ROOT,
    reject: false,
    all: true,
    env: { DRDRILL_PROGRESS: "lines", DRDRILL_FROM_SOURCE: "1", ...opts.env },
    timeout: opts.timeoutMs ?? 300_000,
  }) as ResultPromise<{ reject: false; all: true }>;
}

export async function readJson<T = any>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, "utf8")) as T;
}

export async function journalEvents(outDir: string): Promise<any[]> {
  return (await readFile(join(outDir, "journal.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

/** Waits until the journal of the run in `outDir` holds `needle` (a run still going, watched from outside). */
export async function journalHas(outDir: string, needle: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await readFile(join(outDir, "journal.jsonl"), "utf8").catch(() => "")).includes(needle)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the journal of ${outDir} never held ${needle}`);
}

/** Every file under dir (recursively), for searching run folders. */
export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

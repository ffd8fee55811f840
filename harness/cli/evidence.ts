// The evidence bundle (`drdrill run --evidence`, `drdrill report --evidence DIR`): one tar.gz with
// results, journal, reports, logs, manifests' digests, the scenario files as run, the environment
// and SUMMARY.md, checked once more for secrets before it is packed.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { parse as parseYaml } from "yaml";
import { renderEvidenceSummary, type ScenarioEvidence } from "../../reports/evidence-summary.ts";
import type { RunResult } from "../model/result.ts";
import { REDACTED } from "../util/secrets.ts";
import { readJournal } from "./journal-file.ts";
import { readRunFolder } from "./run-folder.ts";

const run = promisify(execFile);

/** Files of the run folder that go into the bundle as they are (the tools' logs are added whole). */
const RUN_FILES = ["results.json", "journal.jsonl", "report.md", "index.html", "junit.xml", "report.png"];

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** Keeps the scenario files exactly as run in `<outDir>/scenarios/` (named by file, digest on a clash). */
export async function snapshotScenarios(outDir: string, loaded: { file: string; text: string }[]): Promise<void> {
  const dir = join(outDir, "scenarios");
  await mkdir(dir, { recursive: true });
  const taken = new Map<string, string>();
  for (const s of loaded) {
    const digest = sha256(s.text);
    let name = basename(s.file);
    if (taken.has(name) && taken.get(name) !== digest) name = `${digest.slice(0, 12)}-${name}`;
    taken.set(name, digest);
    await writeFile(join(dir, name), s.text);
  }
}

async function listFiles(root: string, under = root): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(under, { withFileTypes: true }).catch(() => [])) {
    const p = join(under, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(root, p)));
    else if (e.isFile()) out.push(relative(root, p));
  }
  return out.sort();
}

/** The scenario files as run: the run folder's snapshot, else the file at its path if its digest still matches. */
async function bundleScenarios(
  dir: string,
  stage: string,
  scenarios: { name: string; file: string; sha256: string }[],
): Promise<ScenarioEvidence[]> {
  const snapshots = new Map<string, string>();
  for (const f of await listFiles(join(dir, "scenarios")))
    snapshots.set(sha256(await readFile(join(dir, "scenarios", f))), join(dir, "scenarios", f));
  await mkdir(join(stage, "scenarios"), { recursive: true });
  const out: ScenarioEvidence[] = [];
  const used = new Set<string>();
  for (const s of scenarios) {
    let name = basename(s.file);
    if (used.has(name)) name = `${s.sha256.slice(0, 12)}-${name}`;
    const snap = snapshots.get(s.sha256);
    const current = snap ? null : await readFile(resolve(s.file)).catch(() => null);
    const text = snap ? await readFile(snap) : current && sha256(current) === s.sha256 ? current : null;
    if (text) {
      used.add(name);
      await writeFile(join(stage, "scenarios", name), text);
      out.push({
        ...s,
        bundled: `scenarios/${name}`,
        note: snap ? "kept with the run" : "read at bundling; digest matches the run",
      });
    } else {
      out.push({ ...s, bundled: null, note: current ? "changed since the run: its digest differs" : "not found" });
    }
  }
  return out;
}

/**
 * Env var names that a run takes secrets from (`{ env: NAME }` anywhere): in its tools' settings, and in
 * the scenario files as run (`scenarioTexts`), where a `run` step's or a user check's `secrets` are.
 */
export function secretEnvNames(results: RunResult[], scenarioTexts: string[] = []): string[] {
  const names = new Set<string>();
  const walk = (v: unknown) => {
    if (!v || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    if (typeof o.env === "string" && Object.keys(o).length === 1) names.add(o.env);
    for (const x of Object.values(o)) walk(x);
  };
  for (const r of results) walk(r.settings);
  for (const text of scenarioTexts) {
    try {
      walk(parseYaml(text));
    } catch {
      // a file that does not parse names no secret; the settings above still do
    }
  }
  return [...names];
}

/** Replaces every occurrence of a secret in the staged files; returns how many files held one. */
async function sweepSecrets(stage: string, secrets: string[]): Promise<number> {
  const needles = secrets.filter((s) => s.length >= 4).map((s) => Buffer.from(s));
  if (needles.length === 0) return 0;
  let hits = 0;
  for (const f of await listFiles(stage)) {
    let data = await readFile(join(stage, f));
    let hit = false;
    for (const n of needles) {
      for (let i = data.indexOf(n); i >= 0; i = data.indexOf(n)) {
        data = Buffer.concat([data.subarray(0, i), Buffer.from(REDACTED), data.subarray(i + n.length)]);
        hit = true;
      }
    }
    if (hit) {
      hits++;
      await writeFile(join(stage, f), data);
    }
  }
  return hits;
}

export interface EvidenceOptions {
  /** How the bundle was asked for, e.g. "drdrill report --evidence runs/x". */
  createdBy: string;
  env?: NodeJS.ProcessEnv;
}

/** Writes `<dir>/evidence-<runId>.tar.gz` and returns its path. */
export async function writeEvidenceBundle(dir: string, opts: EvidenceOptions): Promise<string> {
  const { results } = await readRunFolder(dir);
  const name = `drdrill-evidence-${results.runId}`;
  const tmp = await mkdtemp(join(tmpdir(), "drdrill-evidence-"));
  const stage = join(tmp, name);
  try {
    await mkdir(stage, { recursive: true });
    for (const f of RUN_FILES) await cp(join(dir, f), join(stage, f)).catch(() => {});
    if (
      await stat(join(dir, "logs")).then(
        (s) => s.isDirectory(),
        () => false,
      )
    )
      await cp(join(dir, "logs"), join(stage, "logs"), { recursive: true });
    const scenarios = await bundleScenarios(dir, stage, results.scenarios ?? []);
    const events = await readJournal(join(dir, "journal.jsonl"));
    const manifests = events
      .filter((e) => e.type === "manifest")
      .map((e) => ({
        run: (e.run ?? 0) + 1,
        wall: e.wall,
        ...(e.type === "manifest" ? { files: e.files, bytes: e.bytes, digest: e.digest } : {}),
      }));
    await writeFile(join(stage, "manifests.json"), `${JSON.stringify(manifests, null, 2)}\n`);
    const { environment, argv, runId, startedAt, finishedAt, schemaVersion } = results;
    await writeFile(
      join(stage, "environment.json"),
      `${JSON.stringify({ runId, schemaVersion, startedAt, finishedAt, argv, environment }, null, 2)}\n`,
    );
    const env = opts.env ?? process.env;
    const texts = await Promise.all(
      (await listFiles(join(stage, "scenarios"))).map((f) => readFile(join(stage, "scenarios", f), "utf8")),
    );
    const secrets = secretEnvNames(results.results, texts)
      .map((n) => env[n])
      .filter((v): v is string => typeof v === "string");
    const swept = await sweepSecrets(stage, secrets);
    const files = [];
    for (const f of await listFiles(stage)) {
      const data = await readFile(join(stage, f));
      files.push({ path: f, sha256: sha256(data), bytes: data.length });
    }
    const summary = renderEvidenceSummary({
      results,
      events,
      scenarios,
      files,
      createdAt: new Date().toISOString(),
      createdBy: opts.createdBy,
    });
    await writeFile(
      join(stage, "SUMMARY.md"),
      swept > 0
        ? `${summary}\nNote: ${swept} file(s) held a secret named in the scenario settings; it was replaced by ` +
            `${REDACTED}.\n`
        : summary,
    );
    const sums = [...files, { path: "SUMMARY.md", sha256: sha256(await readFile(join(stage, "SUMMARY.md"))) }].sort(
      (a, b) => a.path.localeCompare(b.path),
    );
    await writeFile(join(stage, "SHA256SUMS"), sums.map((f) => `${f.sha256}  ${f.path}\n`).join(""));
    const archive = resolve(dir, `evidence-${results.runId}.tar.gz`);
    await run("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "-czf", archive, "-C", tmp, name]);
    return archive;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// The evidence bundle of a real drill: one tar.gz a marker can check (results, journal, logs,
// manifests, scenario files as run, environment, SUMMARY.md with timestamps), and no passphrase in it.
import { execFile } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { allFiles, drdrill, journalEvents, readJson, ROOT } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const sh = promisify(execFile);
const MARKER = "drdrill-evidence-marker-passphrase-91c2";

describe("evidence bundle", () => {
  it("drdrill run --evidence packs what a marker needs, and never the passphrase", async () => {
    const d = await tmp();
    const out = join(d, "run");
    const r = await drdrill(
      ["run", "scenarios/seed/seed-drill.yaml", "--tool", "duplicity", "--size", "4MB", "--out", out, "--evidence"],
      { env: { DRDRILL_PASSPHRASE: MARKER } },
    );
    expect(r.exitCode, r.all).toBe(0);
    const results = await readJson(join(out, "results.json"));
    const archive = join(out, `evidence-${results.runId}.tar.gz`);
    expect(r.stdout).toContain(`evidence: ${archive}`);

    // the archive itself, decompressed (names and contents), holds no passphrase
    const { stdout: raw } = await sh("sh", ["-c", `gzip -dc '${archive}'`], {
      maxBuffer: 256 * 1024 * 1024,
      encoding: "latin1",
    });
    expect(raw).not.toContain(MARKER);

    const x = join(d, "x");
    await sh("mkdir", ["-p", x]);
    await sh("tar", ["-xzf", archive, "-C", x]);
    const root = join(x, `drdrill-evidence-${results.runId}`);
    const files = (await allFiles(root)).map((f) => f.slice(root.length + 1)).sort();
    for (const f of [
      "SUMMARY.md",
      "SHA256SUMS",
      "results.json",
      "journal.jsonl",
      "report.md",
      "index.html",
      "junit.xml",
      "environment.json",
      "manifests.json",
      "scenarios/seed-drill.yaml",
    ])
      expect(files, f).toContain(f);
    expect(files.some((f) => /^logs\/run-001\/\d+-duplicity-full\.stderr\.log$/.test(f))).toBe(true);
    expect(files.some((f) => f.startsWith("work/"))).toBe(false);
    for (const f of await allFiles(root)) expect(await readFile(f, "latin1"), f).not.toContain(MARKER);

    // the scenario file exactly as run, the manifests' digests as the journal has them
    expect(await readFile(join(root, "scenarios/seed-drill.yaml"), "utf8")).toBe(
      await readFile(join(ROOT, "scenarios/seed/seed-drill.yaml"), "utf8"),
    );
    const digests = (await journalEvents(out)).filter((e) => e.type === "manifest").map((e) => e.digest);
    expect(digests.length).toBeGreaterThan(0);
    expect((await readJson(join(root, "manifests.json"))).map((m: any) => m.digest)).toEqual(digests);

    // SUMMARY.md: verdict, timestamps, what was measured, what happened
    const summary = await readFile(join(root, "SUMMARY.md"), "utf8");
    expect(summary).toContain(`# Evidence of drdrill run ${results.runId}`);
    expect(summary).toContain("**Verdict: PASSED**");
    expect(summary).toContain(`Run started ${results.startedAt}, finished ${results.finishedAt}`);
    expect(summary).toMatch(/\| 1 \| seed-drill \| duplicity[^|]*\| \d{4}-\d\d-\d\dT[\d:.]+Z \| recovered/);
    expect(summary).toMatch(/`\d{4}-\d\d-\d\dT[\d:.]+Z` \*\*fault delete-path injected\*\*/);
    expect(summary).toMatch(/`duplicity-restore` exited 0 after/);
    expect(summary).toContain(digests[0]);
    expect(summary).toMatch(/duplicity 0\.\d/);

    // every file's digest checks out
    const check = await sh("sha256sum", ["-c", "SHA256SUMS"], { cwd: root });
    expect(check.stdout).not.toContain("FAILED");

    // drdrill report --evidence makes it again from the finished folder
    const again = await drdrill(["report", "--evidence", out], { env: { DRDRILL_PASSPHRASE: MARKER } });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toContain(`evidence: ${archive}`);
    expect((await readdir(out)).filter((f) => f.endsWith(".tar.gz"))).toEqual([`evidence-${results.runId}.tar.gz`]);
  });
});

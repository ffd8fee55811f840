// The core engine as a user sees it: the seed drill with real duplicity, bad input, hangs, Ctrl-C, secrets.
import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localDir } from "../../harness/agent/local-dir.ts";
import { manifestDigest } from "../../harness/verify/manifest-ops.ts";
const buildManifest = (dir: string) => localDir(dir).manifest();
import { allFiles, drdrill, journalEvents, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const MARKER = "drdrill-marker-passphrase-7f3a";

async function fakeBin(dir: string, script: string): Promise<string> {
  const bin = join(dir, "bin");
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, "duplicity"), script);
  await chmod(join(bin, "duplicity"), 0o755);
  return bin;
}

describe("seed drill on the local target", () => {
  it("recovers, measures and reports; the passphrase appears nowhere", async () => {
    const out = join(await tmp(), "run");
    const r = await drdrill(
      ["run", "scenarios/seed/seed-drill.yaml", "--tool", "duplicity", "--size", "8MB", "--out", out],
      { env: { DRDRILL_PASSPHRASE: MARKER } },
    );
    expect(r.exitCode, r.all).toBe(0);
    const results = await readJson(join(out, "results.json"));
    expect(results.schemaVersion).toBe(1);
    expect(results.environment.tools.duplicity).toMatch(/^\d+\.\d+/);
    const run = results.results[0];
    expect(run).toMatchObject({ scenario: "seed-drill", tool: "duplicity", outcome: "recovered", passed: true });
    expect(run.metrics.rtoMs).toBeGreaterThan(0);
    expect(run.metrics.rpoMs).toBeGreaterThan(0);
    expect(run.metrics.downtimeMs).toBeGreaterThan(0);
    expect(run.metrics.backupThroughputBps).toBeGreaterThan(0);
    expect(run.metrics.sourceBytes).toBe(8_000_000);
    expect(run.metrics.repoBytes).toBeGreaterThan(0);
    expect(run.verification.filesChecked).toBeGreaterThan(50);
    expect(run.verification.mismatchCount).toBe(0);
    expect(run.verification.fidelity.mtime.precisionMs).toBe(1000);
    expect(run.toolCalls.map((c: any) => c.kind)).toEqual(["backup", "restore"]);
    expect(run.phases.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(["seed", "quiesce", "backup", "load", "fault", "restore", "verify"]),
    );
    const report = await readFile(join(out, "report.md"), "utf8");
    expect(report).toContain("| seed-drill | duplicity");
    expect(report).toContain("duplicity full");
    expect(await readFile(join(out, "junit.xml"), "utf8")).toContain('failures="0"');
    // the secret: not in any file of the run folder, not in any output
    for (const f of await allFiles(out)) expect(await readFile(f, "utf8"), f).not.toContain(MARKER);
    expect(r.all).not.toContain(MARKER);
    // the target's data and backups are removed afterwards (nothing held aside left); the reports and logs stay
    await expect(stat(join(out, "work"))).rejects.toThrow();
    expect((await readdir(out)).filter((n) => n.includes(".removing-"))).toEqual([]);
  });
});

describe("a tool that prints the passphrase in pieces", () => {
  it("split in a character, or at its newline: nothing of it in logs, journal, results or reports", async () => {
    const dir = await tmp();
    const secrets = { SPLIT_A: "Kq7vZ-ünï-Xw9pL-ß4", SPLIT_B: "Mn3bT-first\nRt8yU-second" };
    // Each call prints the passphrase on both streams in two writes cut in the middle of its bytes (inside
    // "ü" for the first one, at its newline for the second); the restore then fails quoting it.
    const bin = await fakeBin(
      dir,
      `#!/bin/sh
half=$(( $(printf %s "$PASSPHRASE" | wc -c) / 2 ))
say() {
  printf '%s' "$1"; printf %s "$PASSPHRASE" | head -c $half
  sleep 0.2; printf %s "$PASSPHRASE" | tail -c +$((half + 1)); echo
}
say "passphrase: "; say "passphrase: " >&2
if [ "$1" = restore ]; then say "gpg: decryption failed, passphrase " >&2; exit 2; fi
exec /usr/bin/duplicity "$@"
`,
    );
    const file = join(dir, "split.yaml");
    await writeFile(
      file,
      `name: split-secret
dataset: { size: 2MB }
tools:
  - duplicity: { encryption: gpg-symmetric, passphrase: { env: SPLIT_A } }
  - duplicity: { encryption: gpg-symmetric, passphrase: { env: SPLIT_B } }
steps:
  - backup: full
  - fault: { delete-path: { path: . } }
  - restore: latest
`,
    );
    const out = join(dir, "run");
    const r = await drdrill(["run", file, "--out", out], { env: { ...secrets, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.exitCode, r.all).toBe(1);
    const results = await readJson(join(out, "results.json"));
    expect(results.results.map((x: any) => x.toolCalls.map((c: any) => c.kind))).toEqual([
      ["backup", "restore"],
      ["backup", "restore"],
    ]);
    const files = await allFiles(out);
    // the pieces came through, redacted: the backups' logs (two runs, two streams) each say so
    const backupLogs = files.filter((f) => /duplicity-full\.std(out|err)\.log$/.test(f));
    expect(backupLogs).toHaveLength(4);
    for (const f of backupLogs) expect(await readFile(f, "utf8")).toContain("passphrase: [REDACTED]\n");
    expect(results.results[0].reason).toContain("gpg: decryption failed, passphrase [REDACTED]");
    for (const f of files) {
      const text = await readFile(f, "utf8");
      for (const piece of ["Kq7vZ", "Xw9pL", "Mn3bT", "Rt8yU"])
        expect(text, `${f} holds ${piece}`).not.toContain(piece);
      expect(text, `${f} holds U+FFFD (a character cut in two)`).not.toContain("\uFFFD");
    }
    for (const piece of ["Kq7vZ", "Xw9pL", "Mn3bT", "Rt8yU"]) expect(r.all).not.toContain(piece);
  });
});

describe("a copy of a real tree", () => {
  it("dataset.copyFrom drills a copy; the original is never touched", async () => {
    const dir = await tmp();
    const original = join(dir, "original");
    await mkdir(join(original, "src/sub"), { recursive: true });
    for (let i = 0; i < 20; i++)
      await writeFile(join(original, "src/sub", `f${i}.c`), `int f${i}(void) { return ${i}; }\n`.repeat(200));
    const before = await buildManifest(original);
    const file = join(dir, "copy.yaml");
    await writeFile(
      file,
      `name: copy\ndataset: { copyFrom: ${original} }\ntools: [duplicity]\nsteps:\n  - backup: full\n  - ` +
        `fault: { ransomware: { fraction: 1 } }\n  - restore: latest\n  - verify: [files, services]\n`,
    );
    const out = join(dir, "run");
    const r = await drdrill(["run", file, "--out", out]);
    expect(r.exitCode, r.all).toBe(0);
    const run = (await readJson(join(out, "results.json"))).results[0];
    expect(run.outcome).toBe("recovered");
    expect(run.faults[0].effects.filesEncrypted).toBe(21); // the 20 files and the load writer's journal
    expect(run.verification.filesChecked).toBe(20);
    // results.json says how the run's data was made: a copy of the tree, by the system's copier.
    expect(run.dataset.method).toMatch(new RegExp(`^cp -a.* of ${original}$`));
    expect(run.dataset.files).toBe(20);
    expect(manifestDigest(await buildManifest(original))).toBe(manifestDigest(before));
  });
});

describe("one tree, several runs", () => {
  it(
    "every run clones the copyFrom tree; its hashes are taken once and the clones' manifests reuse them; a file " +
      "the fault changed is still caught",
    async () => {
      const dir = await tmp();
      const original = join(dir, "original");
      await mkdir(join(original, "src/sub"), { recursive: true });
      for (let i = 0; i < 20; i++)
        await writeFile(
          join(original, i % 2 ? "src/sub" : "src", `f${i}.c`),
          `int f${i}(void) { return ${i}; }\n`.repeat(200),
        );
      const file = join(dir, "copy.yaml");
      // The second backup follows silent corruption of two files: their new bytes must be in its manifest.
      await writeFile(
        file,
        `name: copy-twice\ndataset: { copyFrom: ${original} }\ntools: [duplicity]\nsteps:\n  - backup: full\n  - ` +
          `fault: { corrupt-source: { under: src, files: 2, bytes: 16 } }\n  - backup: incremental\n  - fault: { ` +
          `delete-path: { path: . } }\n  - restore: latest\n  - verify: [files, services]\nexpect: recovered\n`,
      );
      const out = join(dir, "run");
      const r = await drdrill(["run", file, "--repeat", "2", "--out", out]);
      expect(r.exitCode, r.all).toBe(0);
      const runs = (await readJson(join(out, "results.json"))).results;
      expect(runs.map((x: any) => [x.outcome, x.verification.filesChecked, x.verification.mismatchCount])).toEqual([
        ["recovered", 20, 0],
        ["recovered", 20, 0],
      ]);
      for (const run of runs) expect(run.dataset.method).toMatch(new RegExp(`^cp -a.* of ${original}$`));
      // Per run: the full backup's manifest reuses the hashes (a file cloned in the clock tick of the
      // clone's end is read again); the incremental's reads the two corrupted files again too.
      const reused = (await journalEvents(out)).filter((e) => e.type === "manifest").map((e) => e.hashesReused);
      expect(reused).toHaveLength(4);
      for (const [full, incremental] of [reused.slice(0, 2), reused.slice(2)]) {
        expect(full).toBeGreaterThanOrEqual(15);
        expect(incremental).toBeLessThanOrEqual(full - 2);
      }
    },
  );
});

describe("bad input", () => {
  it("ten mistakes: ten located errors, exit 2, nothing run", async () => {
    const out = join(await tmp(), "never");
    const r = await drdrill(["run", "test/fixtures/scenarios/ten-mistakes.yaml", "--out", out]);
    expect(r.exitCode).toBe(2);
    const located = r.stderr
      .split("\n")
      .filter((l) => /^test\/fixtures\/scenarios\/ten-mistakes\.yaml:\d+:\d+: /.test(l));
    expect(located).toHaveLength(10);
    await expect(stat(out)).rejects.toThrow();
  });

  it("a delete-path outside the data directory is refused and nothing is created", async () => {
    const dir = await tmp();
    const file = join(dir, "escape.yaml");
    await writeFile(
      file,
      "name: escape\ntools: [duplicity]\nsteps:\n  - backup: full\n  - fault: { delete-path: { path: ../x } " +
        "}\n  - restore: latest\n",
    );
    const r = await drdrill(["run", file, "--out", join(dir, "out")]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /escape\.yaml:5:\d+: steps\[1\]\.fault\.delete-path\.path: "\.\.\/x" leaves the data directory/,
    );
    await expect(stat(join(dir, "out"))).rejects.toThrow();
  });

  it("bad command-line values are located too", async () => {
    const r = await drdrill(["run", "scenarios/seed", "--size", "huge", "--tool", "tarsnap"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--size");
    expect(r.stderr).toContain('unknown tool "tarsnap"');
  });
});

describe("hangs and interruptions", () => {
  it(
    "a restore that hangs (deaf to SIGTERM) is killed " + "at --timeout with its group; the run fails, exit 1",
    async () => {
      const dir = await tmp();
      const pidFile = join(dir, "hung.pid");
      const bin = await fakeBin(
        dir,
        `#!/bin/sh\nif [ "$1" = restore ]; then trap "" TERM; sleep 600 & echo $! > ${pidFile}; wait; wait; fi\n` +
          'exec /usr/bin/duplicity "$@"\n',
      );
      const out = join(dir, "run");
      const started = Date.now();
      const r = await drdrill(
        [
          "run",
          "scenarios/seed/seed-drill.yaml",
          "--tool",
          "duplicity",
          "--size",
          "4MB",
          "--timeout",
          "4s",
          "--out",
          out,
        ],
        { env: { PATH: `${bin}:${process.env.PATH}` } },
      );
      expect(Date.now() - started).toBeLessThan(120_000);
      expect(r.exitCode, r.all).toBe(1);
      const run = (await readJson(join(out, "results.json"))).results[0];
      expect(run.outcome).toBe("failed");
      expect(run.reason).toMatch(/timed out after 4 s/);
      const restore = run.toolCalls.find((c: any) => c.kind === "restore");
      expect(restore.timedOut).toBe(true);
      // killed at the timeout: not after a grace period on top of it
      expect(restore.durationMs).toBeLessThan(4900);
      const hung = Number(await readFile(pidFile, "utf8"));
      const status = await readFile(`/proc/${hung}/status`, "utf8").catch(() => "");
      expect(status === "" || /^State:\s+Z/m.test(status)).toBe(true);
    },
  );

  it("SIGINT mid-drill: exit 130, cleanup done, the journal's last event says interrupted", async () => {
    const dir = await tmp();
    const file = join(dir, "long.yaml");
    await writeFile(
      file,
      "name: long\ndataset: { size: 4MB }\ntools: [duplicity]\nsteps:\n  - backup: full\n  - load: 10m\n  - " +
        "fault: { delete-path: { path: . } }\n  - restore: latest\n",
    );
    const out = join(dir, "run");
    const child = drdrill(["run", file, "--out", out]);
    // wait for the load step, then press Ctrl-C
    for (let i = 0; i < 600; i++) {
      const j = await readFile(join(out, "journal.jsonl"), "utf8").catch(() => "");
      if (j.includes('"phase":"load"')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode, r.all).toBe(130);
    const events = await journalEvents(out);
    expect(events.at(-1).type).toBe("interrupted");
    expect(events.some((e) => e.type === "phase-end" && e.phase === "cleanup")).toBe(true);
    await expect(stat(join(out, "work"))).rejects.toThrow();
    expect((await readdir(out)).filter((n) => n.includes(".removing-"))).toEqual([]);
    // the load writer (the target's service) is gone
    const ps = await import("execa").then(({ execa }) => execa("ps", ["-eo", "args"], { reject: false }));
    expect(ps.stdout).not.toContain(out);
  });
});

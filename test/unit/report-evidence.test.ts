// The evidence bundle from a run folder: contents, scenario files checked by digest, and a second
// sweep that replaces any secret named by the scenario's settings should one have slipped into a log.
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { secretEnvNames, writeEvidenceBundle } from "../../harness/cli/evidence.ts";
import { tmp } from "../helpers/tmp.ts";
import { resultsFile, run } from "./report-fixture.ts";

const sh = promisify(execFile);
const SECRET = "unit-marker-secret-5d1e";

async function runFolder(dir: string, scenarioText: string, snapshot: boolean): Promise<void> {
  const sha256 = createHash("sha256").update(scenarioText).digest("hex");
  await mkdir(join(dir, "logs/run-001"), { recursive: true });
  await writeFile(
    join(dir, "results.json"),
    JSON.stringify(
      resultsFile([run()], { scenarios: [{ name: "seed-drill", file: join(dir, "elsewhere.yaml"), sha256 }] }),
    ),
  );
  await writeFile(
    join(dir, "journal.jsonl"),
    `${JSON.stringify({
      t: 1,
      wall: "2026-11-26T09:36:40.385Z",
      run: 0,
      type: "manifest",
      files: 197,
      bytes: 50_000_000,
      digest: "eaa384f574f9e960",
    })}` + `\n`,
  );
  await writeFile(join(dir, "logs/run-001/003-duplicity-full.stderr.log"), `gpg: using passphrase ${SECRET}\n`);
  if (snapshot) {
    await mkdir(join(dir, "scenarios"));
    await writeFile(join(dir, "scenarios/seed-drill.yaml"), scenarioText);
  }
}

async function unpack(archive: string, into: string): Promise<string> {
  await mkdir(into, { recursive: true });
  await sh("tar", ["-xzf", archive, "-C", into]);
  return join(into, "drdrill-evidence-20261126T093639-ea77e9");
}

describe("writeEvidenceBundle", () => {
  it("replaces a secret named by the settings wherever it slipped in, and says so", async () => {
    const d = await tmp();
    await runFolder(join(d, "run"), "name: seed-drill\n", true);
    const archive = await writeEvidenceBundle(join(d, "run"), {
      createdBy: "test",
      env: { DRDRILL_PASSPHRASE: SECRET },
    });
    expect(archive).toBe(join(d, "run", "evidence-20261126T093639-ea77e9.tar.gz"));
    const root = await unpack(archive, join(d, "x"));
    expect(await readFile(join(root, "logs/run-001/003-duplicity-full.stderr.log"), "utf8")).toBe(
      "gpg: using passphrase [REDACTED]\n",
    );
    const summary = await readFile(join(root, "SUMMARY.md"), "utf8");
    expect(summary).toContain("1 file(s) held a secret named in the scenario settings");
    expect(summary).not.toContain(SECRET);
    expect(summary).toContain("| seed-drill | `");
    expect(summary).toContain("`scenarios/elsewhere.yaml` (kept with the run)");
    expect(summary).toContain("`eaa384f574f9e960`");
  });

  it("includes a scenario file read later only when its digest still matches the run's", async () => {
    const d = await tmp();
    await runFolder(join(d, "run"), "name: seed-drill\n", false);
    await writeFile(join(d, "run", "elsewhere.yaml"), "name: seed-drill\n");
    let root = await unpack(await writeEvidenceBundle(join(d, "run"), { createdBy: "test", env: {} }), join(d, "x1"));
    expect(await readFile(join(root, "SUMMARY.md"), "utf8")).toContain("read at bundling; digest matches the run");
    await writeFile(join(d, "run", "elsewhere.yaml"), "name: seed-drill\nchanged: true\n");
    root = await unpack(await writeEvidenceBundle(join(d, "run"), { createdBy: "test", env: {} }), join(d, "x2"));
    expect(await readFile(join(root, "SUMMARY.md"), "utf8")).toContain(
      "| no (changed since the run: its digest differs) |",
    );
  });

  it("sweeps a secret that only a run step or a user check of the scenario names", async () => {
    const d = await tmp();
    const scenario =
      "name: seed-drill\nsteps:\n  - run: { command: ./dr/fix.sh, secrets: { TOKEN: { env: FIXUP_TOKEN } } }\n" +
      "  - verify: [files, { command: ./dr/ok.sh, secrets: { K: { env: CHECK_KEY } } }]\n";
    await runFolder(join(d, "run"), scenario, true);
    await writeFile(join(d, "run/logs/run-001/004-run.stdout.log"), "token fix-token-6b1a, key check-key-77d0\n");
    const root = await unpack(
      await writeEvidenceBundle(join(d, "run"), {
        createdBy: "test",
        env: { FIXUP_TOKEN: "fix-token-6b1a", CHECK_KEY: "check-key-77d0" },
      }),
      join(d, "x"),
    );
    expect(await readFile(join(root, "logs/run-001/004-run.stdout.log"), "utf8")).toBe(
      "token [REDACTED], key [REDACTED]\n",
    );
    expect(secretEnvNames([], [scenario, "not: [yaml"])).toEqual(["FIXUP_TOKEN", "CHECK_KEY"]);
  });

  it("finds the env vars that settings take secrets from", () => {
    expect(
      secretEnvNames([
        run(),
        run({ settings: { key: { env: "BORG_KEY" }, nested: { a: { env: "X" } }, plain: "env" } }),
      ]),
    ).toEqual(["DRDRILL_PASSPHRASE", "BORG_KEY", "X"]);
  });
});

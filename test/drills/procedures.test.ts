// A team's own runbook drilled with the command tool, for real on the local target: the seed's
// scripts recover, a restore that restores nothing is caught, a hung script is killed, the
// passphrase stays off every command line and out of the run folder, bad input is refused; a fix-up
// `run` step is inside RTO and a user check that fails ends the run failed in its own words.
import { execa } from "execa";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allFiles, drdrill, readJson, ROOT } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const MARKER = "drdrill-marker-passphrase-procedures-7d2f";

/** Every process command line seen while `during` runs, polled every 50 ms. */
async function pollCmdlines<T>(during: Promise<T>): Promise<{ value: T; lines: Set<string> }> {
  const lines = new Set<string>();
  let done = false;
  const value = during.finally(() => (done = true));
  while (!done) {
    for (const pid of await readdir("/proc").catch(() => [])) {
      if (!/^\d+$/.test(pid)) continue;
      const c = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
      if (c) lines.add(c.replace(/\0/g, " "));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { value: await value, lines };
}

async function scenario(
  dir: string,
  tool: string,
  steps = "[backup: full, { fault: { delete-path: { path: . } } }, restore: latest, verify: [files]]",
) {
  const file = join(dir, "drill.yaml");
  await writeFile(
    file,
    `name: procedure\ndataset: { size: 2MB, seed: 5 }\ntools:\n  - command: ${tool}\nsteps: ${steps}\n`,
  );
  return file;
}

describe("drilling the user's own procedure (command tool, local)", () => {
  it("the seed's runbook recovers; its passphrase: on no command line, in no file of the run or bundle", async () => {
    const out = join(await tmp(), "run");
    const run = drdrill(["run", join(ROOT, "scenarios/procedures/runbook.yaml"), "--out", out, "--evidence"], {
      env: { DRDRILL_PASSPHRASE: MARKER },
    });
    const { value: r, lines } = await pollCmdlines(run);
    expect(r.exitCode, r.all).toBe(0);
    const results = await readJson(join(out, "results.json"));
    expect(results.results[0]).toMatchObject({ tool: "command", outcome: "recovered", passed: true });
    // the runbook's fix-up ran in its own phase, its smoke check passed
    expect(results.results[0].phases.map((p: { name: string }) => p.name)).toContain("run");
    expect(results.results[0].checks).toMatchObject([{ command: "./dr/smoke.sh", ok: true, exitCode: 0 }]);
    expect(
      [...lines].some((l) => l.includes("cmd-dr_restore.sh")),
      "the restore script was seen running",
    ).toBe(true);
    expect([...lines].filter((l) => l.includes(MARKER))).toEqual([]);
    for (const f of await allFiles(out)) expect((await readFile(f)).includes(MARKER), f).toBe(false);
    // nor in the evidence bundle, its files unpacked
    const bundle = await execa("sh", ["-c", `gzip -dc '${join(out, `evidence-${results.runId}.tar.gz`)}'`], {
      encoding: "latin1",
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(bundle.stdout.length).toBeGreaterThan(0);
    expect(bundle.stdout.includes(MARKER)).toBe(false);
  });

  it("a restore that exits 0 and restores nothing ends silent-corruption (exit 1)", async () => {
    const dir = await tmp();
    const file = await scenario(dir, `{ backup: 'cp -a "$DRDRILL_SOURCE/." "$DRDRILL_REPO/"', restore: "true" }`);
    const r = await drdrill(["run", file, "--out", join(dir, "run")]);
    expect(r.exitCode, r.all).toBe(1);
    const results = await readJson(join(dir, "run", "results.json"));
    expect(results.results[0].outcome).toBe("silent-corruption");
  });

  it("a script that hangs is killed at its timeout with its whole process group", async () => {
    const dir = await tmp();
    const file = await scenario(dir, `{ backup: "sleep 987.6543 & wait", restore: "true", timeout: 2s }`);
    const r = await drdrill(["run", file, "--out", join(dir, "run")]);
    expect(r.exitCode, r.all).not.toBe(0);
    const results = await readJson(join(dir, "run", "results.json"));
    expect(JSON.stringify(results.results[0])).toMatch(/timed out after 2 s; process group killed/);
    const left = await execa("pgrep", ["-f", "sleep 987.6543"], { reject: false });
    expect(left.stdout.trim()).toBe("");
  });

  it("a fix-up run step after the restore is inside RTO; a user check fails the run in its words", async () => {
    const dir = await tmp();
    await mkdir(join(dir, "dr"));
    await writeFile(join(dir, "dr", "fix-up.sh"), 'sleep 1.5\necho "fixed $DRDRILL_SOURCE"\n', { mode: 0o755 });
    const drill = async (check: string) => {
      const file = join(dir, "fixup.yaml");
      await writeFile(
        file,
        "name: fix-up\ndataset: { size: 2MB, seed: 5 }\ntools: [tar-zstd]\nsteps:\n  - backup: full\n" +
          "  - fault: { delete-path: { path: . } }\n  - restore: latest\n  - run: { command: ./dr/fix-up.sh }\n" +
          `  - verify: [files, services, { command: '${check}' }]\n`,
      );
      const out = join(dir, `run-${Math.random().toString(36).slice(2)}`);
      const r = await drdrill(["run", file, "--out", out]);
      return { r, result: (await readJson(join(out, "results.json"))).results[0] };
    };
    const good = await drill('test -d "$DRDRILL_SOURCE/etc"');
    expect(good.r.exitCode, good.r.all).toBe(0);
    expect(good.result.outcome).toBe("recovered");
    expect(good.result.metrics.rtoMs).toBeGreaterThanOrEqual(1500);
    expect(good.result.checks).toMatchObject([{ ok: true, exitCode: 0 }]);
    const bad = await drill('echo "glance: image cirros is gone" >&2; exit 4');
    expect(bad.r.exitCode, bad.r.all).toBe(1);
    expect(bad.result.outcome).toBe("failed");
    expect(bad.result.reason).toMatch(/failed: exit 4 \(expected 0\): glance: image cirros is gone$/);
    expect(bad.result.checks).toMatchObject([{ ok: false, exitCode: 4, said: expect.stringMatching(/cirros/) }]);
  });

  it(
    "bad input: a script not there (tool, run step, check), no restore, an unknown key, on: site without one: " +
      "exit 2 naming file, line, field",
    async () => {
      const dir = await tmp();
      const cases = [
        [
          `{ backup: ./dr/missing.sh, restore: "true" }`,
          /drill\.yaml:4.*tools\[0\]\.command\.backup.*missing\.sh does not exist/,
        ],
        [`{ backup: "true" }`, /drill\.yaml:4.*tools\[0\]\.command\.restore/],
        [`{ backup: "true", restore: "true", colour: red }`, /drill\.yaml:4.*colour/],
      ] as const;
      for (const [tool, words] of cases) {
        const r = await drdrill(["validate", await scenario(dir, tool)]);
        expect(r.exitCode, r.all).toBe(2);
        expect(r.all).toMatch(words);
      }
      // a run step's or a check's script not there, a run step on site B without one
      const tool = `{ backup: "true", restore: "true" }`;
      const steps = [
        [
          "[backup: full, { run: { command: ./dr/fix.sh } }]",
          /drill\.yaml:5.*steps\[1\]\.run\.command.*fix\.sh does not exist/,
        ],
        ["[backup: full, { run: { command: 'true', on: site } }]", /drill\.yaml:5.*steps\[1\]\.run\.on: .*site B/],
        [
          "[backup: full, restore: latest, { verify: [files, { command: ./dr/ok.sh }] }]",
          /drill\.yaml:5.*steps\[2\]\.verify\[1\]\.command.*ok\.sh does not exist/,
        ],
      ] as const;
      for (const [list, words] of steps) {
        const r = await drdrill(["validate", await scenario(dir, tool, list)]);
        expect(r.exitCode, r.all).toBe(2);
        expect(r.all).toMatch(words);
      }
    },
  );
});

// The `run` step and the user's checks of `verify`: their rules at validation (a script not there, on:
// site without a site, the old verify forms), and, with the real runner on the fake tool and target
// and real `sh` on this machine (on: local), what a user reads in results.json: the outcome and its
// reason in the command's own words, the `run` phase, the checks listed, the secrets redacted.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../reports/markdown.ts";
import { fakeDrill as drill } from "../../fixtures/runner/fake-drill.ts";
import { problems, scenario } from "../../helpers/rules.ts";
import { resultsFile, run } from "../report-fixture.ts";

const DR = "./scenarios/procedures/dr";
const RESTORED = `  - backup: full
  - fault: { delete-path: { path: . } }
  - restore: latest`;

describe("run step and user checks: rules", () => {
  it("a run step anywhere, with or without its optional fields, and the old verify forms are valid", () => {
    const steps = [
      `run: { command: "${DR}/backup.sh --dry-run", on: local }`,
      "backup: full",
      "restore: latest",
      "run: { command: 'echo fixed', timeout: 30s, expect: { exit: 3 }, secrets: { K: { env: HOME } } }",
      "verify: [files, services, { command: 'true' }, { command: 'echo up', expect: { stdout: '^up$' } }]",
    ];
    expect(problems(scenario("[restic]", steps))).toEqual([]);
    expect(problems(scenario("[restic]", ["backup: full", "restore: latest", "verify: [files]"]))).toEqual([]);
    expect(
      problems(scenario("[restic]", ["backup: full", "run: { command: 'true', on: site }"], "destination: site\n")),
    ).toEqual([]);
  });

  it("a script not there, on: site without a site, a bad field: exit 2 naming line and field", () => {
    expect(problems(scenario("[restic]", ["backup: full", "run: { command: ./dr/nope.sh --fix }"]))).toEqual([
      expect.stringMatching(/^5:steps\[1\]\.run\.command: \.\/dr\/nope\.sh does not exist \(looked for .*nope\.sh\)$/),
    ]);
    expect(problems(scenario("[restic]", ["backup: full", "run: { command: 'true', on: site }"]))).toEqual([
      "5:steps[1].run.on: on: site needs a secondary site (site B): set destination: site",
    ]);
    expect(problems(scenario("[restic]", ["run: { command: 'true', on: moon }"]))).toEqual([
      expect.stringMatching(/^4:steps\[0\]\.run\.on: /),
    ]);
    expect(problems(scenario("[restic]", ["run: { command: 'true', colour: red }"]))).toEqual([
      expect.stringMatching(/^4:steps\[0\]\.run.*colour/),
    ]);
    expect(problems(scenario("[restic]", ["run: { command: 'true', expect: { exit: 256 } }"]))).toEqual([
      expect.stringMatching(/^4:steps\[0\]\.run\.expect\.exit: /),
    ]);
  });

  it("a check's script not there, its bad regex, a bad verify word: refused at the check", () => {
    const verify = (v: string) => problems(scenario("[restic]", ["backup: full", "restore: latest", `verify: ${v}`]));
    expect(verify("[files, { command: ./dr/nope.sh }]")).toEqual([
      expect.stringMatching(/^6:steps\[2\]\.verify\[1\]\.command: \.\/dr\/nope\.sh does not exist/),
    ]);
    expect(verify("[{ command: 'true', on: site }]")).toEqual([
      "6:steps[2].verify[0].on: on: site needs a secondary site (site B): set destination: site",
    ]);
    expect(verify("[{ command: 'true', expect: { stdout: '(' } }]")).toEqual([
      expect.stringMatching(/^6:steps\[2\]\.verify\[0\]\.expect\.stdout: not a regular expression/),
    ]);
    expect(verify("[files, everything]")).toEqual([expect.stringMatching(/^6:steps\[2\]\.verify\[1\]/)]);
  });
});

describe("run step and user checks: a drill (fake tool and target, real sh on this machine)", () => {
  it("a fix-up after the restore runs in its own phase, recorded with its output; the run recovers", async () => {
    const { result, outDir } = await drill(
      `${RESTORED}\n  - run: { command: "echo fixing up; echo warned >&2", on: local }\n  - verify: [files, services]`,
      {},
    );
    expect(result.outcome, result.reason).toBe("recovered");
    const run = result.phases.find((p) => p.name === "run")!;
    expect(run).toMatchObject({ ok: true, detail: "local: echo fixing up; echo warned >&2" });
    const call = result.toolCalls.find((c) => c.label === "run")!;
    expect(call).toMatchObject({ kind: "other", exitCode: 0 });
    expect(await readFile(join(outDir, call.stdoutLog), "utf8")).toBe("fixing up\n");
    expect(await readFile(join(outDir, call.stderrLog), "utf8")).toBe("warned\n");
    expect(result.metrics.rtoMs).not.toBeNull();
  });

  it("a run step that exits otherwise than expected ends the drill failed, in its own words", async () => {
    const { result } = await drill(
      `${RESTORED}\n  - run: { command: "echo one >&2; echo 'keystone: no such table' >&2; exit 3", on: local }\n` +
        "  - verify: [files, { command: 'echo never run', on: local }]",
      {},
    );
    expect(result.outcome).toBe("failed");
    expect(result.reason).toBe(
      "run step `echo one >&2; echo 'keystone: no such table' >&2; exit 3` (on local) failed: exit 3 (expected 0): " +
        "one / keystone: no such table",
    );
    expect(result.phases.find((p) => p.name === "run")?.ok).toBe(false);
    expect(result.phases.some((p) => p.name === "verify")).toBe(false); // the runbook stopped there
    expect(result.metrics.rtoMs).toBeNull();
    const expected = await drill(`${RESTORED}\n  - run: { command: "exit 3", on: local, expect: { exit: 3 } }`, {});
    expect(expected.result.outcome, expected.result.reason).toBe("recovered");
    expect(expected.result.toolCalls.find((c) => c.label === "run")).toMatchObject({ exitCode: 3 });
    expect(expected.result.toolCalls.find((c) => c.label === "run")?.message).toBeUndefined();
  });

  it("a run step killed at its timeout says so", async () => {
    const { result } = await drill(`${RESTORED}\n  - run: { command: "sleep 30", on: local, timeout: 1s }`, {});
    expect(result.outcome).toBe("failed");
    expect(result.reason).toMatch(/^run step `sleep 30` \(on local\) failed: .*timed out after 1 s/);
  });

  it("user checks: every one runs and is listed; the first that failed is the reason, in its words", async () => {
    const { result } = await drill(
      `${RESTORED}\n  - verify:\n      - files\n` +
        `      - { command: "echo all good", on: local, expect: { stdout: good } }\n` +
        `      - { command: "echo 'image cirros missing'; exit 1", on: local }\n` +
        `      - { command: "echo cirros", on: local, expect: { stdout: "^glance$" } }`,
      {},
    );
    expect(result.outcome).toBe("failed");
    expect(result.reason).toBe(
      "check `echo 'image cirros missing'; exit 1` (on local) failed: exit 1 (expected 0): image cirros missing",
    );
    expect(result.checks).toEqual([
      { command: "echo all good", on: "local", ok: true, exitCode: 0, ms: expect.any(Number) },
      {
        command: "echo 'image cirros missing'; exit 1",
        on: "local",
        ok: false,
        exitCode: 1,
        ms: expect.any(Number),
        said: "exit 1 (expected 0): image cirros missing",
      },
      {
        command: "echo cirros",
        on: "local",
        ok: false,
        exitCode: 0,
        ms: expect.any(Number),
        said: "its output does not match /^glance$/: cirros",
      },
    ]);
  });

  it("passing checks: recovered, listed; a check's secret reaches it only by its environment, redacted", async () => {
    process.env.STEP_RUN_TEST_SECRET = "step-run-secret-4f1a";
    const { result, outDir } = await drill(
      `${RESTORED}\n  - verify: [files, services, { command: '[ "\${#TOKEN}" = 20 ] && echo "$TOKEN"', ` +
        "on: local, secrets: { TOKEN: { env: STEP_RUN_TEST_SECRET } } }]",
      {},
    );
    expect(result.outcome, result.reason).toBe("recovered");
    expect(result.checks?.map((c) => c.ok)).toEqual([true]);
    expect(JSON.stringify(result)).not.toContain("step-run-secret-4f1a");
    const call = result.toolCalls.find((c) => c.label === "check")!;
    expect(await readFile(join(outDir, call.stdoutLog), "utf8")).toBe("[REDACTED]\n");
  });
});

describe("user checks in report.md", () => {
  it("each check with how it went, a failed one with its words", () => {
    const checks = [
      { command: "./dr/smoke.sh", on: "target", ok: true, exitCode: 0, ms: 60 },
      { command: "exit 4", on: "local", ok: false, exitCode: 4, ms: 12, said: "exit 4 (expected 0): gone" },
    ];
    const md = renderMarkdown(resultsFile([run({ checks })]));
    expect(md).toContain("- passed: `./dr/smoke.sh` (on target, exit 0, 60 ms)");
    expect(md).toContain("- **failed**: `exit 4` (on local, exit 4, 12 ms): exit 4 (expected 0): gone");
  });
});

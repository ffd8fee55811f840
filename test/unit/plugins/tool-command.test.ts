// The command tool (a user's own procedure): its rules at validation, and what each call runs,
// with which environment, where its scripts are put, and that secrets stay off the command line.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CommandResult, CommandSpec } from "../../../harness/exec/types.ts";
import command, { choosePoint, parsePoints, scriptWords } from "../../../harness/tools/command.ts";
import type { ToolContext } from "../../../harness/tools/tool.ts";
import { problems, scenario } from "../../helpers/rules.ts";

const DR = "./scenarios/procedures/dr";
const tool = (more = "") => `[{ command: { backup: ${DR}/backup.sh, restore: ${DR}/restore.sh${more} } }]`;

function fakeContext(stdout = "") {
  const calls: CommandSpec[] = [];
  const put: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "cmd-tool-"));
  writeFileSync(join(dir, "backup.sh"), "echo backing up\n");
  const ctx: ToolContext = {
    exec: {
      where: "fake",
      async run(spec) {
        calls.push(spec);
        const now = Date.now();
        return {
          label: spec.label,
          command: spec.command,
          exitCode: 0,
          signal: null,
          failed: false,
          timedOut: false,
          interrupted: false,
          startedAt: new Date().toISOString(),
          startMs: now,
          endMs: now,
          durationMs: 0,
          stdoutPath: "",
          stderrPath: "",
          stdout,
          stderr: "",
          peakRssBytes: null,
          cpuMs: null,
        } satisfies CommandResult;
      },
    },
    repoDir: "/repo",
    workDir: "/work",
    scenarioDir: dir,
    async putFile(name) {
      put.push(name);
      return `/there/${name}`;
    },
    passphrase: () => "unused",
    timeoutMs: 60_000,
  };
  return { ctx, calls, put };
}

describe("command tool", () => {
  it("a scenario with the seed's runbook is valid; missing fields, unknown keys and scripts are refused", () => {
    expect(problems(scenario(tool(), ["backup: full", "restore: latest"]))).toEqual([]);
    expect(problems(scenario(`[{ command: { restore: ${DR}/restore.sh } }]`, ["backup: full"]))).toEqual([
      expect.stringMatching(/^2:tools\[0\]\.command\.backup: /),
    ]);
    expect(problems(scenario(tool(", colour: red"), ["backup: full"]))).toEqual([
      expect.stringMatching(/^2:tools\[0\]\.command.*colour/),
    ]);
    expect(
      problems(scenario(`[{ command: { backup: ./dr/nope.sh, restore: ${DR}/restore.sh } }]`, ["backup: full"])),
    ).toEqual([expect.stringMatching(/^2:tools\[0\]\.command\.backup: \.\/dr\/nope\.sh does not exist/)]);
  });

  it("check steps need a check command, earlier points a list command", () => {
    expect(problems(scenario(tool(), ["backup: full", "check: deep"]))).toEqual([
      expect.stringMatching(/^5:steps\[1\]\.check: command has no check command/),
    ]);
    expect(problems(scenario(tool(), ["backup: full", "restore: { at: 'backup:1' }"]))).toEqual([
      expect.stringMatching(/^5:steps\[1\]\.restore: .*list command/),
    ]);
    expect(problems(scenario(tool(`, list: ls`), ["backup: full", "restore: { at: 'backup:1' }"]))).toEqual([]);
  });

  it("finds the scripts a command names, and the point a restore asks for", () => {
    expect(scriptWords("./dr/backup.sh --full && sh dr/x.sh /abs/y.sh ../up.sh")).toEqual([
      "./dr/backup.sh",
      "dr/x.sh",
    ]);
    const points = parsePoints("2026-01-01T10:00:00Z a\n\n2026-01-01T11:00:00Z b\n");
    expect(points).toEqual(["2026-01-01T10:00:00Z a", "2026-01-01T11:00:00Z b"]);
    expect(choosePoint(points, "backup:2")).toBe("2026-01-01T11:00:00Z b");
    expect(choosePoint(points, "2026-01-01T10:30:00Z")).toBe("2026-01-01T10:00:00Z a");
    expect(choosePoint(points, "2026-01-01T09:00:00Z")).toBeUndefined();
  });

  it("runs sh -c with the script put where it runs, DRDRILL_* inputs, secrets only in the environment", async () => {
    process.env.CMD_TOOL_TEST_SECRET = "s3cret-value-xyz";
    const { ctx, calls, put } = fakeContext();
    const s = command.settings.parse({
      name: "runbook",
      backup: "./backup.sh full",
      restore: "echo restoring",
      secrets: { PASSPHRASE: { env: "CMD_TOOL_TEST_SECRET" } },
      timeout: "7s",
    });
    const session = command.open(s, ctx);
    const b = await session.backup("incremental", "/data");
    expect(b.failed).toBe(false);
    expect(put).toEqual(["cmd-backup.sh"]);
    expect(calls[0]).toMatchObject({
      label: "runbook-backup",
      command: "sh",
      args: ["-c", "'/there/cmd-backup.sh' full"],
      cwd: "/work",
      timeoutMs: 7000,
      secretEnv: ["PASSPHRASE"],
      env: {
        DRDRILL_SOURCE: "/data",
        DRDRILL_REPO: "/repo",
        DRDRILL_WORK: "/work",
        DRDRILL_BACKUP_KIND: "incremental",
        PASSPHRASE: "s3cret-value-xyz",
      },
    });
    expect(JSON.stringify(calls[0]!.args)).not.toContain("s3cret");
    await session.restore("/dest");
    expect(calls[1]!.env).toMatchObject({ DRDRILL_DEST: "/dest" });
    expect(calls[1]!.env).not.toHaveProperty("DRDRILL_AT");
  });

  it("a restore at a point lists first and gives the chosen line as DRDRILL_AT", async () => {
    const { ctx, calls } = fakeContext("p1\np2\np3\n");
    const s = command.settings.parse({ backup: "true", restore: "true", list: "cat points" });
    const r = await command.open(s, ctx).restore("/dest", { at: "backup:2" });
    expect(calls.map((c) => c.label)).toEqual(["command-list", "command-restore"]);
    expect(calls[1]!.env).toMatchObject({ DRDRILL_AT: "p2" });
    expect(r.backupId).toBe("p2");
    const none = await command.open(s, ctx).restore("/dest", { at: "backup:9" });
    expect(none).toMatchObject({ failed: true, notStarted: true });
  });
});

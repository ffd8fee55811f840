// The user's own procedure as a tool: their backup, restore, check and list commands, run with `sh -c`
// where the target's files are, inputs in DRDRILL_* variables and secrets only in the environment.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { z } from "zod";
import type { Problem } from "../rules/context.ts";
import { parseDuration } from "../util/units.ts";
import { durationText } from "../util/zod-units.ts";
import { notRun, runTool } from "./run-tool.ts";
import { defineTool, type ToolContext, type ToolRun } from "./tool.ts";

const commandText = z
  .string()
  .min(1)
  .describe("A shell command (sh -c); scripts it names are relative to the scenario.");

/** Variables a user's commands get, each from drdrill's environment (also the `run` step's and user checks'). */
export const secretRefs = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable's name"),
    z.object({ env: z.string().min(1) }).strict(),
  )
  .default({})
  .describe("Variables the commands get, each from drdrill's environment: { PASSPHRASE: { env: VAR } }.");

const settings = z
  .object({
    name: z.string().min(1).default("command").describe("How reports name the procedure."),
    backup: commandText.describe("Run once per backup step (DRDRILL_BACKUP_KIND: full or incremental)."),
    restore: commandText.describe("Fills DRDRILL_DEST from DRDRILL_REPO (DRDRILL_AT: the point, when one is asked)."),
    check: commandText.optional().describe("Run by `check` steps (DRDRILL_CHECK: light or deep)."),
    list: commandText.optional().describe("Prints one restore point per line, newest last: unlocks restore points."),
    secrets: secretRefs,
    timeout: durationText({ minMs: 1000 }).optional().describe("The longest one call may take (default: the run's)."),
  })
  .strict();

type Settings = z.infer<typeof settings>;
type Op = "backup" | "restore" | "check" | "list";

/** The words of a command that name a file of the scenario's folder (./dr/backup.sh, dr/restore.sh). */
export function scriptWords(command: string): string[] {
  return command
    .split(/\s+/)
    .filter((w) => /^(\.\/|[\w.-]+\/)[\w./-]+$/.test(w) && !isAbsolute(w) && !w.includes(".."));
}

/** What is wrong with the scripts a command names: each one not in the scenario's folder `dir`. */
export function missingScripts(command: string, dir: string): string[] {
  const out: string[] = [];
  for (const w of scriptWords(command)) {
    const path = join(dir, w);
    if (existsSync(path) && statSync(path).isFile()) continue;
    // a word like dr/x.sh that is no file here may be a path on the target: only ./ names a script for sure
    if (w.startsWith("./") || existsSync(join(dir, w.split("/")[0]!)))
      out.push(`${w} does not exist (looked for ${path})`);
  }
  return out;
}

/** Where a file of the scenario's folder is put so that commands can run it; returns its path there. */
export type PutFile = (name: string, content: string | Buffer, mode: number) => Promise<string>;

/**
 * Places the scripts a command names (relative to `scenarioDir`) where it runs, each once, and
 * returns the command with each named by its path there.
 */
export function scriptPlacer(scenarioDir: string, putFile: PutFile): (command: string) => Promise<string> {
  const placed = new Map<string, string>();
  return async (cmd) => {
    let out = cmd;
    for (const w of scriptWords(cmd)) {
      const local = join(scenarioDir, w);
      if (!existsSync(local) || !statSync(local).isFile()) continue;
      let there = placed.get(w);
      if (!there) {
        const flat = `cmd-${w.replace(/^\.\//, "").replace(/[^\w.-]/g, "_")}`;
        there = await putFile(flat, readFileSync(local), 0o755);
        placed.set(w, there);
      }
      out = out
        .split(/(\s+)/)
        .map((part) => (part === w ? `'${there}'` : part))
        .join("");
    }
    return out;
  };
}

/** The values of a command's secrets: each from drdrill's environment, else a random one (kept in memory only). */
export function secretValues(refs: Record<string, { env: string }>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(refs)) {
    const v = process.env[ref.env];
    out[name] = v && v.length > 0 ? v : randomBytes(24).toString("base64url");
  }
  return out;
}

/** The points a `list` command printed: one per line, newest last. */
export function parsePoints(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The point `at` names: backup:N is the Nth line; a time, the newest line starting with a time at or before it. */
export function choosePoint(points: readonly string[], at: string): string | undefined {
  const nth = /^backup:(\d+)$/.exec(at.trim());
  if (nth) return points[Number(nth[1]) - 1];
  const atMs = Date.parse(at);
  const dated = points.filter((p) => {
    const ms = Date.parse(p.split(/\s+/)[0]!);
    return Number.isFinite(ms) && ms <= atMs;
  });
  return dated.at(-1) ?? (points.some((p) => Number.isFinite(Date.parse(p.split(/\s+/)[0]!))) ? undefined : at);
}

function validate(
  s: Settings,
  ctx: { dir: string; scenario: { steps: readonly { kind: string; params: unknown }[] } },
) {
  const problems: Problem[] = [];
  for (const op of ["backup", "restore", "check", "list"] as const) {
    const cmd = s[op];
    if (!cmd) continue;
    for (const message of missingScripts(cmd, ctx.dir)) problems.push({ field: op, message });
  }
  ctx.scenario.steps.forEach((st, i) => {
    if (st.kind === "check" && !s.check)
      problems.push({ path: ["steps", i, "check"], message: `${s.name} has no check command (tools: command.check)` });
    const at = st.kind === "restore" ? st.params : undefined;
    if (at !== undefined && at !== "latest" && at !== null && !s.list)
      problems.push({
        path: ["steps", i, "restore"],
        message: `${s.name} restores only the latest backup without a list command (tools: command.list)`,
      });
  });
  return problems;
}

export default defineTool({
  name: "command",
  description: "The user's own procedure: their backup, restore, check and list commands (sh -c), secrets by env.",
  binaries: ["sh"],
  install: "apt-get install dash",
  settings,
  fidelity: { mtimePrecisionMs: 0, symlinkMtime: true, hardlinks: true, xattrs: true },
  capabilities: {
    incremental: true,
    pointInTime: true,
    selfContainedBackups: false,
    encryption: (s) => ({
      encrypted: Object.keys((s as Settings).secrets ?? {}).length > 0,
      how: "the user's commands, their secrets given through the environment",
    }),
    dataFiles: null,
    staleLock: "whatever the user's commands do",
    site: { unsupported: "a command tool writes where its commands write: give the site's address in the command" },
  },
  validate: (s, ctx) => validate(s, ctx),
  async version() {
    return "user commands";
  },
  open(s, ctx) {
    const secrets = secretValues(s.secrets);
    for (const v of Object.values(secrets)) ctx.addSecret?.(v);
    const timeoutMs = s.timeout ? parseDuration(s.timeout) : ctx.timeoutMs;
    const callCtx: ToolContext = { ...ctx, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    const placeScripts = scriptPlacer(ctx.scenarioDir, ctx.putFile);

    async function call(op: Op, cmd: string, env: Record<string, string>): Promise<ToolRun> {
      const script = await placeScripts(cmd);
      return runTool(callCtx, {
        label: `${s.name}-${op}`,
        command: "sh",
        args: ["-c", script],
        cwd: ctx.workDir,
        env: {
          DRDRILL_REPO: ctx.repoDir,
          DRDRILL_WORK: ctx.workDir,
          ...env,
          ...secrets,
        },
        secretEnv: Object.keys(secrets),
      });
    }

    return {
      async init() {
        return null;
      },
      async backup(kind, sourceDir) {
        const run = await call("backup", s.backup, { DRDRILL_SOURCE: sourceDir, DRDRILL_BACKUP_KIND: kind });
        return run.failed ? run : { ...run, backupId: new Date().toISOString() };
      },
      async restore(destDir, opts) {
        let point: string | undefined;
        if (opts?.at) {
          if (!s.list) return notRun(`${s.name}-restore`, `${s.name}: restoring a point needs a list command`);
          const ls = await call("list", s.list, {});
          if (ls.failed) return ls;
          point = choosePoint(parsePoints(ls.stdout), opts.at);
          if (point === undefined)
            return notRun(`${s.name}-restore`, `${s.name}: the list command printed no point for ${opts.at}`);
        }
        const run = await call("restore", s.restore, {
          DRDRILL_DEST: destDir,
          ...(point ? { DRDRILL_AT: point } : {}),
        });
        return point ? { ...run, backupId: point } : run;
      },
      check(deep, sourceDir) {
        if (!s.check) return Promise.resolve(notRun(`${s.name}-check`, `${s.name} has no check command`));
        return call("check", s.check, { DRDRILL_SOURCE: sourceDir, DRDRILL_CHECK: deep ? "deep" : "light" });
      },
      list() {
        if (!s.list) return Promise.resolve(notRun(`${s.name}-list`, `${s.name} has no list command`));
        return call("list", s.list, {});
      },
    };
  },
});

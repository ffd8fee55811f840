// The remote wrapper, run here with this host's bash exactly as the SSH executor launches it there:
// the environment header on stdin arrives byte for byte, the command's own input follows, and the
// exit status, group id and stats come back.
import { execa } from "execa";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeEnvHeader } from "../../harness/ssh/env-header.ts";
import { launchArgv, WRAPPER_SCRIPT } from "../../harness/ssh/remote-wrapper.ts";
import { wrapperMarks } from "../../harness/ssh/wrapper-marks.ts";
import { tmp } from "../helpers/tmp.ts";

async function launch(opts: {
  env?: Record<string, string>;
  input?: string;
  cwd?: string;
  command: string;
  args: string[];
}) {
  const ctl = await tmp("drdrill-wrapper-");
  const wrapper = join(ctl, "wrapper");
  await writeFile(wrapper, WRAPPER_SCRIPT);
  const [cmd, ...args] = launchArgv(wrapper, ctl, "t1", opts.cwd, opts.command, opts.args);
  const r = await execa(cmd!, args, {
    input: encodeEnvHeader(opts.env) + (opts.input ?? ""),
    reject: false,
    encoding: "utf8",
    stripFinalNewline: false,
  });
  const groups: number[] = [];
  const marks = wrapperMarks((g) => groups.push(g));
  const stderr = marks.push(String(r.stderr));
  return {
    exitCode: r.exitCode,
    stdout: String(r.stdout),
    stderr: stderr + marks.end().rest,
    stats: marks.end().stats,
    groups,
  };
}

describe("remote wrapper", () => {
  it("exports every variable of the header exactly, awkward values included, and passes the input on", async () => {
    const env = {
      PLAIN: "value",
      SPACED: "a  b",
      LINES: "one\ntwo\n\n",
      QUOTES: `it's "$HOME" \`id\` \\n`,
      EQ: "=a=b=",
      UTF: "pässwörd ✓",
      EMPTY: "",
    };
    const names = Object.keys(env);
    const r = await launch({
      env,
      input: "first\nsecond",
      command: "bash",
      args: ["-c", 'for n in "$@"; do printf "%s\\0" "${!n}"; done; cat', "x", ...names],
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const values = r.stdout.split("\0");
    expect(values.slice(0, names.length)).toEqual(Object.values(env));
    expect(values.at(-1)).toBe("first\nsecond");
  });

  it("runs in the asked folder, in a group of its own, and returns the command's exit code and stats", async () => {
    const dir = await tmp();
    const r = await launch({ cwd: dir, command: "sh", args: ["-c", "pwd; ps -o pgid= -p $$; echo oops >&2; exit 7"] });
    expect(r.exitCode).toBe(7);
    const [pwd, pgid] = r.stdout.trim().split("\n");
    expect(pwd).toBe(dir);
    expect(r.groups).toEqual([Number(pgid)]);
    expect(r.groups[0]).not.toBe(process.pid);
    expect(r.stderr).toBe("oops\n");
    expect(r.stats).toMatch(/^--t0\n.*\n.*\n--t1\n.*m.*s\n.*m.*s\n--rss\n\d+\n$/);
  });

  it("reports a command killed by a signal as 128 + N, and a folder it cannot enter as 126", async () => {
    expect((await launch({ command: "sh", args: ["-c", "kill -TERM $$"] })).exitCode).toBe(143);
    const r = await launch({ cwd: "/nonexistent-drdrill", command: "true", args: [] });
    expect(r.exitCode).toBe(126);
    expect(r.stderr).toContain("/nonexistent-drdrill");
  });

  it("refuses a variable name no shell could export", () => {
    expect(() => encodeEnvHeader({ "BAD-NAME": "x" })).toThrow('invalid environment variable name "BAD-NAME"');
  });
});

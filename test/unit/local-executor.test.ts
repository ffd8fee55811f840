import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { killSchedule } from "../../harness/exec/kill-timer.ts";
import { LocalExecutor, parseBashTimes } from "../../harness/exec/local-executor.ts";
import { SecretStore } from "../../harness/util/secrets.ts";
import { tmp } from "../helpers/tmp.ts";

/** Running (a zombie waiting for its reaper counts as gone). */
const alive = async (pid: number) => {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return status !== "" && !/^State:\s+Z/m.test(status);
};

describe("local executor", () => {
  it("kills the whole process group at the timeout, grandchildren included", async () => {
    const dir = await tmp();
    const exec = new LocalExecutor(dir, new SecretStore());
    const pidFile = join(dir, "grandchild.pid");
    const res = await exec.run({
      label: "hang",
      command: "sh",
      args: ["-c", `sleep 300 & echo $! > ${pidFile}; wait`],
      timeoutMs: 500,
    });
    expect(res.timedOut).toBe(true);
    expect(res.failed).toBe(true);
    expect(res.durationMs).toBeLessThan(5000);
    const grandchild = Number(await readFile(pidFile, "utf8"));
    await new Promise((r) => setTimeout(r, 200));
    expect(await alive(grandchild)).toBe(false);
  });

  it("a command that ignores SIGTERM is killed at its timeout, not a grace period after it", async () => {
    const dir = await tmp();
    const exec = new LocalExecutor(dir, new SecretStore());
    const res = await exec.run({
      label: "stubborn",
      command: "sh",
      args: ["-c", 'trap "" TERM; sleep 300 & wait; wait'],
      timeoutMs: 2000,
    });
    expect(res.timedOut).toBe(true);
    expect(res.durationMs).toBeGreaterThanOrEqual(1900);
    expect(res.durationMs).toBeLessThan(3000);
  });

  it("the timeout's schedule: SIGTERM up to 3 s (a quarter of a short timeout) before it, SIGKILL at it", () => {
    expect(killSchedule(5000)).toEqual({ termAtMs: 3750, killAtMs: 5000 });
    expect(killSchedule(600_000)).toEqual({ termAtMs: 597_000, killAtMs: 600_000 });
  });

  it("records exit code, output, CPU time and peak RSS; secrets never reach logs or the command line", async () => {
    const dir = await tmp();
    const secrets = new SecretStore();
    const exec = new LocalExecutor(dir, secrets);
    const res = await exec.run({
      label: "talk",
      command: "sh",
      args: [
        "-c",
        'echo "pass is $PASSPHRASE"; i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo oops >&2; exit 3',
      ],
      env: { PASSPHRASE: "hunter2-secret" },
      secretEnv: ["PASSPHRASE"],
    });
    expect(res.exitCode).toBe(3);
    expect(res.failed).toBe(true);
    expect(res.stdout).toBe("pass is [REDACTED]\n");
    expect(await readFile(res.stdoutPath, "utf8")).not.toContain("hunter2");
    expect(res.command).toContain("PASSPHRASE=***");
    expect(res.stderr).toContain("oops");
    expect(res.cpuMs).toBeGreaterThan(0);
    expect(res.peakRssBytes).toBeGreaterThan(0);
  });

  it("parses bash's times output", () => {
    expect(parseBashTimes("0m0.001s 0m0.002s\n1m2.500s 0m0.500s\n")).toBe(63_000);
  });
});

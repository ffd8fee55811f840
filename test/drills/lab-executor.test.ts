// The executor that runs tools inside the lab container: a timeout kills the command's whole process
// group inside the container (killing `docker exec` alone would not), secrets reach the command through
// its environment only, and CPU time, peak RSS and the host pid (for faults) are reported.
import { execa } from "execa";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLabContainer, type LabContainer } from "../../harness/images/lab/container.ts";
import { ContainerProcs } from "../../harness/targets/lab/container-procs.ts";
import { DockerExecutor } from "../../harness/targets/lab/docker-executor.ts";
import { SecretStore } from "../../harness/util/secrets.ts";

const SECRET = "lab-executor-secret-0c41d";

describe.skipIf(process.env.DRDRILL_SKIP_LAB === "1")("DockerExecutor (commands inside the lab container)", () => {
  let lab: LabContainer;
  let exec: DockerExecutor;
  let logDir: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "drdrill-labexec-"));
    logDir = join(dir, "logs");
    await mkdir(join(dir, "run", "ctl"), { recursive: true });
    await mkdir(logDir);
    lab = await startLabContainer({ role: "target", mounts: [{ source: join(dir, "run"), target: "/drdrill" }] });
    const pid = Number((await execa("docker", ["inspect", "-f", "{{.State.Pid}}", lab.id])).stdout);
    exec = new DockerExecutor({ name: lab.name, procs: new ContainerProcs(pid) }, logDir, new SecretStore(), {
      host: join(dir, "run", "ctl"),
      exec: "/drdrill/ctl",
    });
  }, 300_000);

  afterAll(async () => {
    await lab?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it("kills the whole process group inside the container at the timeout", async () => {
    const r = await exec.run({
      label: "hang",
      command: "bash",
      args: ["-c", "sleep 301 & sleep 302 & wait"],
      timeoutMs: 1500,
    });
    expect(r).toMatchObject({ timedOut: true, failed: true, exitCode: null });
    expect(r.durationMs).toBeLessThan(10_000);
    const left = await execa("docker", ["exec", lab.name, "pgrep", "-f", "sleep 30[12]"], { reject: false });
    expect(left.stdout.trim()).toBe("");
  });

  it("passes secrets in the environment only; logs and the shown command are redacted", async () => {
    const sha = createHash("sha256").update(SECRET).digest("hex");
    let hostPid = 0;
    let seen: Promise<{ cmdline: string; environ: string }> | null = null;
    const r = await exec.run({
      label: "secret",
      command: "bash",
      args: [
        "-c",
        `sleep 1; test "$(printf %s "$PASSPHRASE" | sha256sum | cut -c1-64)" = ${sha} && echo "got $PASSPHRASE"`,
      ],
      env: { PASSPHRASE: SECRET },
      secretEnv: ["PASSPHRASE"],
      onSpawn: (g) => {
        const p = g.hostPid!;
        hostPid = p;
        // the command's group leader, as the host sees it: what ps on the host would show
        seen = Promise.all([readFile(`/proc/${p}/cmdline`, "utf8"), readFile(`/proc/${p}/environ`, "utf8")]).then(
          ([cmdline, environ]) => ({ cmdline, environ }),
        );
      },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(hostPid).toBeGreaterThan(0);
    const { cmdline, environ } = await seen!;
    expect(cmdline).not.toContain(SECRET);
    expect(environ).toContain(`PASSPHRASE=${SECRET}`);
    expect(r.command).toMatch(new RegExp(`^docker exec -e PASSPHRASE ${lab.name} bash -c `));
    expect(r.command).not.toContain(SECRET);
    expect(r.stdout).toContain("got [REDACTED]");
    expect(await readFile(r.stdoutPath, "utf8")).not.toContain(SECRET);
  });

  it("reports exit codes, CPU time and peak RSS of the tree inside", async () => {
    const r = await exec.run({
      label: "work",
      command: "bash",
      // The sampler finds the tree through the pid file inside the container: on a loaded machine that
      // takes a moment, and a command gone before it is found has no sample (null). Keep it alive 3 s.
      args: ["-c", "head -c 30000000 /dev/urandom | sha256sum >/dev/null; sleep 3; exit 7"],
    });
    expect(r).toMatchObject({ exitCode: 7, failed: true, timedOut: false });
    expect(r.cpuMs).toBeGreaterThan(0);
    expect(r.peakRssBytes).toBeGreaterThan(0);
  });
});

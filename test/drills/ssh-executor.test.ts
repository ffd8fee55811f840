// The executor that runs commands on a host over SSH, against a real sshd container: output, exit codes
// and logs; cwd and input; a timeout kills the remote group; secrets never on a command line, here or
// there; the process handle; sudo; host keys pinned; one master for every command; Ctrl-C leaves
// nothing behind; and no container is left afterwards.
import { execa } from "execa";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshExecutor } from "../../harness/ssh/ssh-executor.ts";
import type { ProcessHandle } from "../../harness/exec/types.ts";
import { openSsh, type SshConnection } from "../../harness/ssh/connection.ts";
import { buildSshdImage } from "../../harness/images/sshd/build.ts";
import { startSshdContainer, type SshdHost } from "../../harness/images/sshd/container.ts";
import { listSshdContainers } from "../../harness/images/sshd/container.ts";
import { monoMs } from "../../harness/util/clock.ts";
import { SecretStore } from "../../harness/util/secrets.ts";
import { ROOT } from "../helpers/cli.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SshExecutor (commands on a host over SSH)", () => {
  let dir: string;
  let logDir: string;
  let host: SshdHost;
  let conn: SshConnection;
  let exec: SshExecutor;
  const secrets = new SecretStore();
  const connect = (
    o: { user?: "root" | "drill"; sudo?: boolean; knownHostsFile?: string; identityFile?: string } = {},
  ) =>
    openSsh({
      host: host.host,
      user: o.user ?? "root",
      identityFile: o.identityFile ?? host.identityFile,
      knownHostsFile: o.knownHostsFile ?? host.knownHostsFile,
      controlDir: join(dir, "c"),
      ...(o.sudo ? { sudo: true } : {}),
    });
  /** Every command line on the SSH host right now. */
  const remoteArgs = async () => (await conn.run("ps", ["-eo", "args"])).stdout;

  beforeAll(async () => {
    const built = await buildSshdImage();
    console.log(`sshd image ${built.image}: ${built.cached ? "cached" : "built"} in ${Math.round(built.totalMs)} ms`);
    dir = await mkdtemp(join(tmpdir(), "drdrill-sshexec-"));
    logDir = join(dir, "logs");
    await mkdir(logDir);
    host = await startSshdContainer({ runDir: dir });
    console.log(`sshd container ${host.containerName} at ${host.ip}: ready in ${Math.round(host.readyMs)} ms`);
    conn = await connect();
    exec = new SshExecutor(conn, logDir, secrets);
  }, 900_000);

  afterAll(async () => {
    await exec?.close();
    await conn?.close();
    await host?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it("gives the run's key file mode 0600 and pins the host key the container printed", async () => {
    const st = await import("node:fs/promises").then((fs) => fs.stat(host.identityFile));
    expect(st.mode & 0o777).toBe(0o600);
    const pinned = (await readFile(host.knownHostsFile, "utf8")).trim().split(" ");
    expect(pinned[0]).toBe(host.ip);
    const served = (await conn.run("cat", ["/etc/ssh/ssh_host_ed25519_key.pub"])).stdout.trim().split(" ");
    expect(pinned.slice(1)).toEqual(served.slice(0, 2));
    expect(conn.where).toBe(`ssh root@${host.ip}:22`);
  });

  it("puts and gets files through the connection: bytes exact, mode set, a missing file a clear error", async () => {
    const bytes = Buffer.concat([randomBytes(300_000), Buffer.from("\r\n\n")]);
    await conn.put("/root/drdrill-blob", bytes, 0o640);
    expect((await conn.run("stat", ["-c", "%a %s", "/root/drdrill-blob"])).stdout).toBe("640 300003\n");
    expect((await conn.get("/root/drdrill-blob")).equals(bytes)).toBe(true);
    await expect(conn.get("/root/no-such-file")).rejects.toThrow(
      /^ssh root@[\d.]+:22: cannot read \/root\/no-such-file: cat: .*No such file/,
    );
  });

  it("reports exit codes, stdout and stderr, writes logs (none when asked), and measures CPU and RSS", async () => {
    const r = await exec.run({
      label: "talk",
      command: "sh",
      args: ["-c", "echo out; echo err >&2; head -c 20000000 /dev/urandom | sha256sum >/dev/null; exit 3"],
    });
    expect(r).toMatchObject({ exitCode: 3, failed: true, timedOut: false, stdout: "out\n", stderr: "err\n" });
    expect(await readFile(r.stdoutPath, "utf8")).toBe("out\n");
    expect(await readFile(r.stderrPath, "utf8")).toBe("err\n");
    expect(r.cpuMs).toBeGreaterThan(0);
    expect(r.peakRssBytes).toBeGreaterThan(0);
    const ok = await exec.run({ label: "quiet", command: "echo", args: ["a b"], log: false });
    expect(ok).toMatchObject({ exitCode: 0, failed: false, stdout: "a b\n" });
    expect((await readdir(logDir)).filter((f) => f.includes("quiet"))).toEqual([]);
    const missing = await exec.run({ label: "missing", command: "no-such-tool-drdrill", args: [] });
    expect(missing.exitCode).toBe(127);
  });

  it("runs in the given folder and hands the command its input", async () => {
    const seen = { stdout: "", stderr: "" };
    const r = await exec.run({
      label: "cwd",
      command: "sh",
      args: ["-c", "pwd; cat"],
      cwd: "/etc",
      input: "line one\nline two\n",
      onOutput: (s, t) => (seen[s] += t),
    });
    expect(r.stdout).toBe("/etc\nline one\nline two\n");
    expect(seen).toEqual({ stdout: "/etc\nline one\nline two\n", stderr: "" });
    const bad = await exec.run({ label: "bad-cwd", command: "true", args: [], cwd: "/no/such/dir" });
    expect(bad.failed).toBe(true);
    expect(bad.stderr).toContain("/no/such/dir");
  });

  it("kills the whole remote process group at the timeout, grandchildren included", async () => {
    const r = await exec.run({
      label: "hang",
      command: "bash",
      args: ["-c", "sleep 600 & sleep 601; wait"],
      timeoutMs: 1500,
    });
    expect(r).toMatchObject({ timedOut: true, failed: true, exitCode: null });
    expect(r.durationMs).toBeLessThan(10_000);
    expect(await remoteArgs()).not.toMatch(/sleep 60[01]/);
  });

  it(
    "never puts a secret on a command line, here or there, " + "nor in logs or the shown command; the command gets it",
    async () => {
      const secret = `ssh-secret-${randomBytes(6).toString("hex")}`;
      const sha = createHash("sha256").update(secret).digest("hex");
      const samples: string[] = [];
      let running = true;
      const sampler = (async () => {
        while (running) {
          const [there, here] = await Promise.all([remoteArgs(), execa("ps", ["-eo", "args"]).then((p) => p.stdout)]);
          samples.push(there, here);
          await sleep(100);
        }
      })();
      const r = await exec.run({
        label: "secret",
        command: "bash",
        args: [
          "-c",
          `sleep 1.5; test "$(printf %s "$PASSPHRASE" | sha256sum | cut -c1-64)" = ${sha} && echo "got $PASSPHRASE"`,
        ],
        env: { PASSPHRASE: secret, PLAIN: "visible" },
        secretEnv: ["PASSPHRASE"],
      });
      running = false;
      await sampler;
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe("got [REDACTED]\n");
      expect(samples.length).toBeGreaterThan(10);
      expect(samples.some((s) => s.includes("sleep 1.5"))).toBe(true);
      for (const s of samples) expect(s).not.toContain(secret);
      expect(r.command).toContain("PASSPHRASE=***");
      expect(r.command).toContain("PLAIN=visible");
      expect(r.command).not.toContain(secret);
      for (const f of await readdir(logDir)) expect(await readFile(join(logDir, f), "utf8")).not.toContain(secret);
    },
  );

  it("hands out the remote group: bytes read grow while a command reads a file, and kill ends it", async () => {
    await conn.run("sh", ["-c", "head -c 67108864 /dev/urandom > /tmp/big"]);
    let handle: ProcessHandle | undefined;
    const reader = "import time\nf = open('/tmp/big', 'rb')\nwhile f.read(1 << 20):\n    time.sleep(0.05)\n";
    const running = exec.run({
      label: "reader",
      command: "python3",
      args: ["-c", reader],
      onSpawn: (g) => (handle = g),
    });
    while (!handle) await sleep(20);
    expect(handle.hostPid).toBeUndefined();
    await sleep(800);
    const first = await handle.readBytes();
    await sleep(800);
    const second = await handle.readBytes();
    expect(first).toBeGreaterThan(1 << 20);
    expect(second).toBeGreaterThan(first);
    const t0 = monoMs();
    await handle.kill("SIGKILL");
    const r = await running;
    expect(monoMs() - t0).toBeLessThan(5000);
    expect(r).toMatchObject({ exitCode: 137, signal: "signal 9", failed: true });
    expect(await remoteArgs()).not.toContain("import time");
  });

  it("runs as root through sudo -n when logged in as drill, and still kills the group at the timeout", async () => {
    const plain = await connect({ user: "drill" });
    const viaSudo = await connect({ user: "drill", sudo: true });
    try {
      const asDrill = await new SshExecutor(plain, logDir, secrets).run({
        label: "id-plain",
        command: "id",
        args: ["-un"],
      });
      expect(asDrill.stdout).toBe("drill\n");
      const sudoExec = new SshExecutor(viaSudo, logDir, secrets);
      const asRoot = await sudoExec.run({ label: "id-sudo", command: "id", args: ["-un"] });
      expect(asRoot.stdout).toBe("root\n");
      expect(asRoot.command).toBe(`ssh -p 22 drill@${host.ip} 'sudo -n id -un'`);
      const hang = await sudoExec.run({
        label: "hang-sudo",
        command: "bash",
        args: ["-c", "sleep 602 & wait"],
        timeoutMs: 1000,
      });
      expect(hang.timedOut).toBe(true);
      expect(await remoteArgs()).not.toContain("sleep 602");
      await sudoExec.close();
    } finally {
      await plain.close();
      await viaSudo.close();
    }
  });

  it("refuses a changed or unknown host key and a refused client key, at once, saying so", async () => {
    const other = join(dir, "other");
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    const wrongHosts = join(dir, "wrong.known_hosts");
    await writeFile(
      wrongHosts,
      `${host.ip} ${(await readFile(`${other}.pub`, "utf8")).split(" ").slice(0, 2).join(" ")}\n`,
    );
    const emptyHosts = join(dir, "empty.known_hosts");
    await writeFile(emptyHosts, "");
    const cases: [Parameters<typeof connect>[0], RegExp][] = [
      [
        { knownHostsFile: wrongHosts },
        /^ssh root@[\d.]+:22: its host key changed: it does not match the key pinned in .*wrong\.known_hosts/,
      ],
      [{ knownHostsFile: emptyHosts }, /^ssh root@[\d.]+:22: its host key is unknown: not in .*empty\.known_hosts/],
      [
        { identityFile: other },
        /^ssh root@[\d.]+:22: it refused the key .*other \(Permission denied \(publickey\)\.\)$/,
      ],
    ];
    for (const [o, message] of cases) {
      const t0 = monoMs();
      const e = await connect(o).then(
        () => null,
        (err: Error) => err,
      );
      expect(e?.name).toBe("EnvironmentError");
      expect(e?.message).toMatch(message);
      expect(e?.message).not.toContain("\n");
      expect(monoMs() - t0).toBeLessThan(10_000);
    }
    // accept-new: a first-seen key is taken and written down
    const fresh = join(dir, "fresh.known_hosts");
    await writeFile(fresh, "");
    const c = await openSsh({
      host: host.host,
      user: "root",
      identityFile: host.identityFile,
      knownHostsFile: fresh,
      hostKeyCheck: "accept-new",
      controlDir: join(dir, "c"),
    });
    await c.close();
    const key = (await readFile(host.knownHostsFile, "utf8")).trim().split(" ").slice(1).join(" ");
    expect(await readFile(fresh, "utf8")).toContain(key);
  });

  it("serves every command over one master connection: no new login per command", async () => {
    const logins = async () =>
      (
        (await execa("docker", ["logs", host.containerId], { all: true })).all.match(/Accepted publickey for root/g) ??
        []
      ).length;
    const before = await logins();
    const t0 = monoMs();
    for (let i = 0; i < 20; i++)
      expect((await exec.run({ label: "small", command: "true", args: [], log: false })).exitCode).toBe(0);
    const perCommandMs = (monoMs() - t0) / 20;
    const f0 = monoMs();
    for (let i = 0; i < 3; i++) {
      const fresh = await execa("ssh", [
        "-o",
        "BatchMode=yes",
        "-o",
        "ControlPath=none",
        "-i",
        host.identityFile,
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        `UserKnownHostsFile=${host.knownHostsFile}`,
        `root@${host.ip}`,
        "true",
      ]);
      expect(fresh.exitCode).toBe(0);
    }
    const freshMs = (monoMs() - f0) / 3;
    console.log(
      `one small command: ${perCommandMs.toFixed(0)} ms over the master; a fresh ssh connection: ` +
        `${freshMs.toFixed(0)} ms`,
    );
    expect(await logins()).toBe(before + 3);
  });

  it("keeps the master's socket path short enough for a unix socket, whatever the control folder", async () => {
    const deep = join(dir, "a-control-folder-whose-name-is-long-enough-to-pass-the-unix-socket-path-limit");
    const c = await openSsh({
      host: host.host,
      user: "root",
      identityFile: host.identityFile,
      knownHostsFile: host.knownHostsFile,
      controlDir: deep,
    });
    expect(Buffer.byteLength(c.socket)).toBeLessThanOrEqual(90);
    expect((await c.run("echo", ["ok"])).stdout).toBe("ok\n");
    await c.close();
  });

  it("returns a not-started result, not an exception, once the connection is gone", async () => {
    const c = await connect();
    const e = new SshExecutor(c, logDir, secrets);
    expect((await e.run({ label: "before", command: "true", args: [] })).exitCode).toBe(0);
    const check = await execa("ssh", ["-S", c.socket, "-O", "check", host.ip], { reject: false });
    const masterPid = Number(/pid=(\d+)/.exec(check.stderr)?.[1]);
    process.kill(masterPid, "SIGKILL");
    await sleep(200);
    const r = await e.run({ label: "after", command: "true", args: [] });
    expect(r).toMatchObject({ notStarted: true, failed: true, exitCode: null });
    expect(r.message).toMatch(/^ssh root@[\d.]+:22: after did not start: the connection is gone/);
    await c.close();
    const closed = await e.run({ label: "closed", command: "true", args: [] });
    expect(closed.message).toMatch(/the connection is closed/);
  });

  it("leaves no remote process behind when the process running it gets SIGINT", async () => {
    const child = execa(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "test/fixtures/ssh/interrupted-command.ts"),
        JSON.stringify({
          host: host.host,
          user: "root",
          identityFile: host.identityFile,
          knownHostsFile: host.knownHostsFile,
          controlDir: join(dir, "c"),
          logDir,
        }),
      ],
      { cwd: ROOT, reject: false, all: true, buffer: true },
    );
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 300 && !out.includes("started"); i++) await sleep(50);
    expect(out).toContain("started");
    expect(await remoteArgs()).toMatch(/sleep 611/);
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode, r.all).toBe(130);
    expect(await remoteArgs()).not.toMatch(/sleep 61[12]/);
  });

  it("removes its container by id, and none labelled drdrill=sshd is left", async () => {
    await conn.close();
    await host.remove();
    expect(await listSshdContainers()).toEqual([]);
    const ps = await execa("docker", ["ps", "-aq", "--filter", "label=drdrill=sshd"]);
    expect(ps.stdout.trim()).toBe("");
  });
});

// The VM as a user sees it, with real qemu (emulated under TCG where KVM does not boot a guest, as
// on this project's machines): it boots, SSH works with strict host key checking, the lab's
// services answer inside, stop() and Ctrl-C leave no qemu behind, two VMs at once do not collide,
// and the cached base disk is never written. DRDRILL_SKIP_VM=1 skips this suite.
import { execa, execaSync } from "execa";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseAccel, requestedAccel } from "../../harness/qemu/accel.ts";
import { buildVmImage, type VmBuildResult } from "../../harness/images/vm/build.ts";
import { waitForLabReady } from "../../harness/qemu/lab-ready.ts";
import { vmCacheRoot } from "../../harness/images/vm/names.ts";
import { startVm, type StartedVm } from "../../harness/qemu/start-vm.ts";
import { sshArgs, sshRun } from "../../harness/qemu/ssh-access.ts";
import { drdrill } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const BUILD_MS = 1_800_000; // a cold build (lab image too) takes minutes
const FULL_MS = 1_500_000; // under TCG the lab's services need ~8 minutes to answer

/** Pids of qemu processes whose command line mentions `dir` (its overlay, console, pid file). */
function qemuFor(dir: string): number[] {
  const r = execaSync("pgrep", ["-f", `qemu-system-x86_64.*${dir}`], { reject: false });
  return String(r.stdout).split("\n").filter(Boolean).map(Number);
}

async function gone(dir: string, withinMs = 10_000): Promise<number[]> {
  for (let waited = 0; waited < withinMs && qemuFor(dir).length > 0; waited += 200) await sleep(200);
  return qemuFor(dir);
}

const started: StartedVm[] = [];
const dirs: string[] = [];
// if the suite itself is interrupted, its VMs go too
process.once("exit", () => {
  for (const d of dirs) for (const pid of qemuFor(d)) execaSync("kill", ["-9", String(pid)], { reject: false });
});

async function runDir(): Promise<string> {
  const d = await tmp("drdrill-vm-");
  dirs.push(d);
  return d;
}

describe.skipIf(process.env.DRDRILL_SKIP_VM === "1")("vm: MicroStack in a real VM", () => {
  let image: VmBuildResult;
  let baseBefore: { size: number; mtimeMs: number; ctimeMs: number };

  beforeAll(async () => {
    image = await buildVmImage({ say: (l) => process.stderr.write(`vm build: ${l}\n`) });
    const st = await stat(image.disk);
    baseBefore = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs };
  }, BUILD_MS);

  afterAll(async () => {
    await Promise.all(started.map((v) => v.stop()));
  });

  it("an unchanged recipe is not rebuilt", async () => {
    const again = await buildVmImage();
    expect(again).toMatchObject({ cached: true, hash: image.hash, disk: image.disk });
    expect(again.ms).toBeLessThan(5000);
  });

  it("Ctrl-C while `drdrill vm start` boots a VM: exit 130, no qemu left", async () => {
    const name = `vmtest-sigint-${process.pid}`;
    const dir = join(vmCacheRoot(), "manual", name);
    dirs.push(dir);
    const child = drdrill(["vm", "start", "--name", name, "--no-wait"], { timeoutMs: 300_000 });
    // qemu runs once its console has the kernel's first lines
    for (
      let i = 0;
      i < 600 && !(await readFile(join(dir, "console.log"), "utf8").catch(() => "")).includes("Linux version");
      i++
    )
      await sleep(200);
    expect(qemuFor(dir).length, "qemu should be booting").toBe(1);
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode, r.all).toBe(130);
    expect(await gone(dir)).toEqual([]);
    const status = await drdrill(["vm", "status"]);
    expect(status.stdout).not.toContain(dir);
    await rm(dir, { recursive: true, force: true });
  });

  it("two VMs at once get their own ports and keys; each answers only with its own", { timeout: FULL_MS }, async () => {
    const [a, b] = await Promise.all(
      [runDir(), runDir()].map(async (d) => startVm({ runDir: await d, lab: "off", memoryMb: 1024 })),
    );
    started.push(a!, b!);
    expect(a!.sshPort).not.toBe(b!.sshPort);
    expect((await sshRun(a!, "hostname")).stdout.trim()).toBe("drdrill-vm");
    expect((await sshRun(b!, "hostname")).stdout.trim()).toBe("drdrill-vm");
    // a's key and pinned host key do not get into b
    const crossed = await sshRun({ ...b!, knownHostsFile: a!.knownHostsFile }, "true");
    expect(crossed.exitCode).toBe(255);
    expect(crossed.stderr).toMatch(/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/);
    await Promise.all([a!.stop(), b!.stop()]);
    expect(qemuFor(join(a!.consoleLog, ".."))).toEqual([]);
    expect(qemuFor(join(b!.consoleLog, ".."))).toEqual([]);
  });

  // The lab's services take ~8 minutes to start in an emulated guest: this one runs where KVM works
  // (the probe says), or when asked for (DRDRILL_VM_LAB=1), so the emulated suite stays in its budget.
  it(
    "boots, SSH works with strict host key checking, the lab's services answer inside, stop() leaves no qemu",
    { timeout: FULL_MS },
    async (t) => {
      const accel = await chooseAccel(requestedAccel(undefined), image.kernel, () => {});
      if (accel.emulated && process.env.DRDRILL_VM_LAB !== "1") return t.skip();
      const dir = await runDir();
      const lines: string[] = [];
      const vm = await startVm({ runDir: dir, say: (l) => lines.push(l) });
      started.push(vm);
      expect(vm).toMatchObject({
        sshHost: "127.0.0.1",
        user: "root",
        identityFile: join(dir, "id_ed25519"),
        knownHostsFile: join(dir, "known_hosts"),
      });
      if (vm.emulated) expect(lines.join("\n")).toMatch(/timings are emulated/i);
      expect((await stat(vm.identityFile)).mode & 0o777).toBe(0o600);
      expect(await readFile(vm.consoleLog, "utf8")).not.toContain("PRIVATE KEY");

      // the system's ssh, strict: the pinned key works, an unknown host key is refused
      const ok = await execa("ssh", sshArgs(vm, ["uname -r; cat /etc/hostname"]), { reject: false });
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(ok.stdout).toContain("drdrill-vm");
      const emptyKnownHosts = join(dir, "empty_known_hosts");
      await writeFile(emptyKnownHosts, "");
      const refused = await execa("ssh", sshArgs({ ...vm, knownHostsFile: emptyKnownHosts }, ["true"]), {
        reject: false,
      });
      expect(refused.exitCode).toBe(255);
      expect(refused.stderr).toMatch(/Host key verification failed/);

      const ready = await waitForLabReady(vm);
      expect(ready.readyLine).toMatch(/^MICROSTACK-LAB READY \(baked state, \d+ s\)$/);
      const token = await sshRun(vm, "microstack.openstack token issue -f value -c expires -c project_id", {
        timeoutMs: 300_000,
      });
      expect(token.exitCode, token.stderr).toBe(0);
      expect(token.stdout).toMatch(/^\d{4}-\d\d-\d\dT/m);
      const services = await sshRun(vm, "snap services microstack", { timeoutMs: 120_000 });
      expect(services.stdout).toMatch(/microstack\.keystone-uwsgi\s+enabled\s+active/);

      await vm.stop();
      expect(await gone(dir, 1000)).toEqual([]);
    },
  );

  it("the cached base disk is never written (each run writes its own overlay)", async () => {
    const st = await stat(image.disk);
    expect({ size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs }).toEqual(baseBefore);
    expect(st.mode & 0o222).toBe(0);
  });
});

// startVm: boots the cached VM image under qemu on a copy-on-write overlay in the run's folder,
// with the run's own SSH key, only SSH forwarded (127.0.0.1, a free port), the guest's host key
// pinned from its console; resolves once SSH answers. stop() ends qemu and waits for it.
import { execa } from "execa";
import { mkdir, readFile, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { EnvironmentError } from "../model/errors.ts";
import { monoMs } from "../util/clock.ts";
import { chooseAccel, requestedAccel, type AccelRequest } from "./accel.ts";
import { requireVmImage, type VmImage } from "../images/vm/build.ts";
import { consoleTail, hostKeyFromConsole } from "./console-log.ts";
import { freeLocalPort } from "./free-port.ts";
import { buildKernelCmdline, type LabMode } from "./kernel-cmdline.ts";
import { vmQemuArgs } from "./qemu-args.ts";
import { spawnQemu, type QemuProcess } from "./qemu-process.ts";
import { makeRunKeyPair, sshRun, writeKnownHosts, type SshEndpoint } from "./ssh-access.ts";
import { registerVm, stopOrphanVms, unregisterVm } from "../images/vm/vm-registry.ts";

export interface StartVmOptions {
  /** The run's folder: overlay, keys, known_hosts, console log, pid file. */
  runDir: string;
  memoryMb?: number;
  cpus?: number;
  /** auto (default, or DRDRILL_VM_ACCEL): KVM where the probe says it boots a guest, else TCG. */
  accel?: AccelRequest;
  say?: (line: string) => void;
  /** `manual` (drdrill vm start): left running when this process ends. Default `target`. */
  role?: "target" | "manual";
  /** What the guest does with the lab: baked state (default), a fresh init, or no services. */
  lab?: LabMode;
  /** Bound on boot-to-SSH (default 2 min under KVM, 7 min under TCG). */
  sshTimeoutMs?: number;
}

export interface StartedVm extends SshEndpoint, AsyncDisposable {
  sshHost: "127.0.0.1";
  sshPort: number;
  user: "root";
  identityFile: string;
  knownHostsFile: string;
  accel: "kvm" | "tcg";
  emulated: boolean;
  bootToSshMs: number;
  consoleLog: string;
  pid: number;
  /** How long the guest itself waits for the lab's services before it prints FAILED. */
  labReadySeconds: number;
  /** Monotonic time (ms) at which qemu was started, for measuring from boot. */
  spawnedAtMs: number;
  stop(): Promise<void>;
}

export const DEFAULT_MEMORY_MB = 3072;
export const DEFAULT_CPUS = 2;
const HOST = "127.0.0.1";
const PORT_ATTEMPTS = 5;
/** The lab's own readiness bound, and the one an emulated guest gets (its services start ~20x slower). */
const READY_S = { kvm: 180, tcg: 1500 } as const;
const SSH_TIMEOUT_MS = { kvm: 120_000, tcg: 420_000 } as const;

let counter = 0;

async function createOverlay(base: string, overlay: string): Promise<void> {
  await rm(overlay, { force: true });
  const r = await execa("qemu-img", ["create", "-q", "-f", "qcow2", "-F", "raw", "-b", base, overlay], {
    reject: false,
    encoding: "utf8",
    stdin: "ignore",
  });
  if ((r as { code?: string }).code === "ENOENT")
    throw new EnvironmentError("qemu-img is not installed: run `bash ci/setup.sh vm` (qemu-utils)");
  if (r.exitCode !== 0) throw new EnvironmentError(`qemu-img create failed: ${String(r.stderr).trim()}`);
}

const readText = (f: string) => readFile(f, "utf8").catch(() => "");

/** Waits for the host key on the console, pins it, then for `ssh ... true`; "port-taken" if qemu could not bind. */
async function waitForSsh(
  q: QemuProcess,
  e: SshEndpoint,
  consoleLog: string,
  qemuLog: string,
  timeoutMs: number,
): Promise<"up" | "port-taken"> {
  const t0 = monoMs();
  let pinned = false;
  let lastSsh = "";
  for (;;) {
    if (q.hasExited()) {
      const log = await readText(qemuLog);
      if (/host forwarding|Could not set up host/i.test(log)) return "port-taken";
      throw new EnvironmentError(
        `vm: qemu exited while booting (${log.trim().split("\n").slice(-3).join(" / ") || "no message"}); the ` +
          `console's last lines:\n${consoleTail(await readText(consoleLog))}`,
      );
    }
    if (!pinned) {
      const key = hostKeyFromConsole(await readText(consoleLog));
      if (key) {
        await writeKnownHosts(e.knownHostsFile, e.sshHost, e.sshPort, key);
        pinned = true;
      }
    }
    if (pinned) {
      const r = await sshRun(e, "true", { timeoutMs: 30_000 });
      if (r.exitCode === 0) return "up";
      lastSsh = r.timedOut ? "ssh timed out after 30 s" : (r.stderr.trim().split("\n").at(-1) ?? `exit ${r.exitCode}`);
    }
    if (monoMs() - t0 > timeoutMs) {
      const what = pinned
        ? `SSH to ${e.user}@${e.sshHost}:${e.sshPort} with the run's key and the pinned host key (last try: ${lastSsh})`
        : `the guest's host key on its console (line "DRDRILL-VM HOSTKEY ..."), then SSH on ${e.sshHost}:${e.sshPort}`;
      throw new EnvironmentError(
        `vm: waited ${Math.round(timeoutMs / 1000)} s for ${what}, in vain; the console's last lines (` +
          `${consoleLog}):\n${consoleTail(await readText(consoleLog))}`,
      );
    }
    await sleep(pinned ? 1000 : 250);
  }
}

export async function startVm(opts: StartVmOptions): Promise<StartedVm> {
  const say = opts.say ?? (() => {});
  const runDir = resolve(opts.runDir);
  const image: VmImage = await requireVmImage();
  const orphans = await stopOrphanVms();
  if (orphans.length > 0) say(`stopped VMs left by a drdrill that no longer runs: ${orphans.join(", ")}`);
  await mkdir(runDir, { recursive: true });
  const choice = await chooseAccel(requestedAccel(opts.accel), image.kernel, say);
  const files = {
    overlay: join(runDir, "overlay.qcow2"),
    consoleLog: join(runDir, "console.log"),
    qemuLog: join(runDir, "qemu.log"),
    pidFile: join(runDir, "qemu.pid"),
    knownHostsFile: join(runDir, "known_hosts"),
  };
  await createOverlay(image.disk, files.overlay);
  await rm(join(runDir, "id_ed25519"), { force: true });
  await rm(join(runDir, "id_ed25519.pub"), { force: true });
  const { identityFile, publicKey } = await makeRunKeyPair(runDir);
  const labReadySeconds = READY_S[choice.accel];
  const cmdline = buildKernelCmdline({ publicKey, lab: opts.lab ?? "baked", readySeconds: labReadySeconds });
  const cpus = opts.cpus ?? DEFAULT_CPUS;
  const memoryMb = opts.memoryMb ?? DEFAULT_MEMORY_MB;
  const timeoutMs = opts.sshTimeoutMs ?? SSH_TIMEOUT_MS[choice.accel];

  for (let attempt = 1; ; attempt++) {
    const sshPort = await freeLocalPort();
    const endpoint: SshEndpoint = {
      sshHost: HOST,
      sshPort,
      user: "root",
      identityFile,
      knownHostsFile: files.knownHostsFile,
    };
    await rm(files.consoleLog, { force: true });
    await rm(files.knownHostsFile, { force: true });
    say(
      `booting the VM (${choice.accel}${choice.emulated ? ", emulated" : ""}, ${cpus} CPUs, ${memoryMb} MiB); ` +
        `console: ${files.consoleLog}`,
    );
    const spawnedAtMs = monoMs();
    const q = await spawnQemu(
      vmQemuArgs({
        accel: choice.accel,
        ...(choice.kvmCpu ? { kvmCpu: choice.kvmCpu } : {}),
        cpus,
        memoryMb,
        kernel: image.kernel,
        initrd: image.initrd,
        cmdline,
        overlay: files.overlay,
        sshPort,
        consoleLog: files.consoleLog,
        pidFile: files.pidFile,
      }),
      files.qemuLog,
    );
    const id = `vm-${process.pid}-${++counter}-${sshPort}`;
    await registerVm({
      id,
      role: opts.role ?? "target",
      pid: q.pid,
      ownerPid: process.pid,
      host: hostname(),
      runDir,
      sshPort,
      identityFile,
      knownHostsFile: files.knownHostsFile,
      accel: choice.accel,
      imageHash: image.hash,
      startedAt: new Date().toISOString(),
    });
    let state: "up" | "port-taken";
    try {
      state = await waitForSsh(q, endpoint, files.consoleLog, files.qemuLog, timeoutMs);
    } catch (e) {
      await q.stop();
      await unregisterVm(id);
      throw e;
    }
    if (state === "port-taken") {
      await unregisterVm(id);
      if (attempt < PORT_ATTEMPTS) continue;
      throw new EnvironmentError(
        `vm: qemu could not forward SSH on ${PORT_ATTEMPTS} free ports in a row; see ${files.qemuLog}`,
      );
    }
    const bootToSshMs = Math.round(monoMs() - spawnedAtMs);
    if (opts.role === "manual") q.detach();
    let stopped: Promise<void> | undefined;
    const stop = () => (stopped ??= q.stop().then(() => unregisterVm(id)));
    return {
      ...endpoint,
      sshHost: HOST,
      user: "root",
      accel: choice.accel,
      emulated: choice.emulated,
      bootToSshMs,
      consoleLog: files.consoleLog,
      pid: q.pid,
      labReadySeconds,
      spawnedAtMs,
      stop,
      [Symbol.asyncDispose]: stop,
    };
  }
}

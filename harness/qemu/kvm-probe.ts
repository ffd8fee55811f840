// Does KVM really boot a guest here? /dev/kvm can be present where a guest hangs at once (a nested
// VM). A short probe boot of the VM's kernel under KVM answers it; the answer is cached per machine
// (kernel release, CPU model, qemu version), so the probe runs once.
import { execa } from "execa";
import { constants } from "node:fs";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { release, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { monoMs } from "../util/clock.ts";
import { consoleTail, probeReachedRootMount } from "./console-log.ts";
import { vmCacheRoot } from "../images/vm/names.ts";
import { probeQemuArgs } from "./qemu-args.ts";
import { QEMU, spawnQemu } from "./qemu-process.ts";

export interface ProbeKey {
  kernelRelease: string;
  cpuModel: string;
  qemuVersion: string;
}

export interface KvmProbe {
  works: boolean;
  /** The `-cpu` model that booted (`host`, or qemu's default when that is absent). */
  cpu?: string;
  /** What was seen, for the warning when KVM is not used. */
  detail: string;
  ms: number;
  probedAt: string;
}

/** CPU models tried in turn: the host's own (best), then qemu's default. */
export const PROBE_CPUS: (string | undefined)[] = ["host", undefined];
export const PROBE_TIMEOUT_MS = 20_000;

/** One line that names the machine kind, e.g. `6.1.0-28-amd64 | AMD EPYC 7B13 | qemu 7.2.22`. */
export function probeCacheKey(k: ProbeKey): string {
  const norm = (s: string) => s.trim().replace(/\s+/g, " ");
  return `${norm(k.kernelRelease)} | ${norm(k.cpuModel)} | qemu ${norm(k.qemuVersion)}`;
}

/** `QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18)` -> `7.2.22`. */
export function parseQemuVersion(text: string): string {
  return /version\s+(\S+)/i.exec(text)?.[1] ?? "unknown";
}

/** The first `model name` of /proc/cpuinfo. */
export function cpuModelFromCpuinfo(text: string): string {
  return /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? "unknown";
}

export async function hostProbeKey(): Promise<ProbeKey> {
  const v = await execa(QEMU, ["--version"], { reject: false, encoding: "utf8", stdin: "ignore" });
  return {
    kernelRelease: release(),
    cpuModel: cpuModelFromCpuinfo(await readFile("/proc/cpuinfo", "utf8").catch(() => "")),
    qemuVersion: parseQemuVersion(String(v.stdout ?? "")),
  };
}

async function kvmUsable(): Promise<boolean> {
  return access("/dev/kvm", constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
}

/** One probe boot with one CPU model: "booted", or why not. */
async function probeOnce(
  kernel: string,
  cpu: string | undefined,
  dir: string,
  timeoutMs: number,
): Promise<{ booted: boolean; detail: string }> {
  const consoleLog = join(dir, `console-${cpu ?? "default"}.log`);
  const logFile = join(dir, `qemu-${cpu ?? "default"}.log`);
  const q = await spawnQemu(probeQemuArgs({ kernel, consoleLog, ...(cpu ? { kvmCpu: cpu } : {}) }), logFile);
  const t0 = monoMs();
  const read = (f: string) => readFile(f, "utf8").catch(() => "");
  try {
    for (;;) {
      if (probeReachedRootMount(await read(consoleLog)))
        return { booted: true, detail: `booted to the root mount in ${Math.round(monoMs() - t0)} ms` };
      if (q.hasExited()) {
        const why = (await read(logFile)).trim().split("\n").filter(Boolean).slice(-2).join(" / ");
        return { booted: false, detail: `qemu exited at once (${why || "no message"})` };
      }
      if (monoMs() - t0 > timeoutMs) {
        const text = await read(consoleLog);
        return {
          booted: false,
          detail: text.trim() ? `hung after:\n${consoleTail(text, 3)}` : `no console output in ${timeoutMs / 1000} s`,
        };
      }
      await sleep(100);
    }
  } finally {
    await q.stop(1000);
  }
}

export async function probeKvm(opts: {
  kernel: string;
  cacheFile?: string;
  timeoutMs?: number;
  say?: (line: string) => void;
}): Promise<KvmProbe & { cached: boolean; key: string }> {
  const cacheFile = opts.cacheFile ?? join(vmCacheRoot(), "kvm-probe.json");
  const key = probeCacheKey(await hostProbeKey());
  if (!(await kvmUsable()))
    return {
      works: false,
      detail: "/dev/kvm is missing or not readable and writable",
      ms: 0,
      probedAt: new Date().toISOString(),
      cached: false,
      key,
    };
  const cache = JSON.parse(await readFile(cacheFile, "utf8").catch(() => "{}")) as Record<string, KvmProbe>;
  if (cache[key]) return { ...cache[key], cached: true, key };

  opts.say?.(
    `probing whether KVM boots a guest on this machine (once; at most ` +
      `${(PROBE_CPUS.length * (opts.timeoutMs ?? PROBE_TIMEOUT_MS)) / 1000} s)`,
  );
  const t0 = monoMs();
  const dir = await mkdtemp(join(tmpdir(), "drdrill-kvm-probe-"));
  const details: string[] = [];
  let result: KvmProbe | undefined;
  try {
    for (const cpu of PROBE_CPUS) {
      const r = await probeOnce(opts.kernel, cpu, dir, opts.timeoutMs ?? PROBE_TIMEOUT_MS);
      details.push(`-cpu ${cpu ?? "(default)"}: ${r.detail}`);
      if (r.booted) {
        result = {
          works: true,
          ...(cpu ? { cpu } : {}),
          detail: details.join("; "),
          ms: Math.round(monoMs() - t0),
          probedAt: new Date().toISOString(),
        };
        break;
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  result ??= {
    works: false,
    detail: details.join("; "),
    ms: Math.round(monoMs() - t0),
    probedAt: new Date().toISOString(),
  };
  cache[key] = result;
  await mkdir(dirname(cacheFile), { recursive: true });
  await writeFile(cacheFile, `${JSON.stringify(cache, null, 2)}\n`);
  return { ...result, cached: false, key };
}

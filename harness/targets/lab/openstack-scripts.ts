// Runs the lab's Python scripts (scripts/*.py, openstacksdk) inside the container with the admin
// credentials of microstack.rc, and reads their one-line JSON answers.
import type { CommandExecutor, CommandResult } from "../../exec/types.ts";
import type { HealthResult } from "../target.ts";

export interface SeededImage {
  name: string;
  id: string;
  size: number;
  sha256: string;
  checksum: string;
}

export interface SeedResult {
  projects: { name: string; id: string }[];
  users: { name: string; id: string }[];
  images: SeededImage[];
  bytes: number;
}

const WITH_ADMIN_RC = `set -a; . "$SNAP_COMMON/etc/microstack.rc"; set +a; exec python3 "$0"`;

function answer<T>(r: CommandResult, tag: string): T | null {
  const line = r.stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith(`${tag} `));
  return line ? (JSON.parse(line.slice(tag.length + 1)) as T) : null;
}

function lastError(r: CommandResult): string {
  if (r.timedOut) return `timed out after ${Math.round(r.durationMs / 1000)} s`;
  return r.stderr.trim().split("\n").filter(Boolean).at(-1) ?? `exit code ${r.exitCode}`;
}

export async function runSeed(
  exec: CommandExecutor,
  bin: string,
  opts: { sizeBytes: number; seed: number; projects: number },
  onProgress?: (bytes: number) => void,
): Promise<SeedResult> {
  const r = await exec.run({
    label: "lab-seed",
    command: "bash",
    args: ["-c", WITH_ADMIN_RC, `${bin}/seed.py`],
    env: {
      DRDRILL_SIZE_BYTES: String(opts.sizeBytes),
      DRDRILL_SEED: String(opts.seed),
      DRDRILL_PROJECTS: String(opts.projects),
    },
    // Glance takes the images at ~20-60 MB/s here; allow a slow machine 2 MB/s.
    timeoutMs: 120_000 + (opts.sizeBytes / 2_000_000) * 1000,
    onOutput: (stream, text) => {
      if (stream !== "stdout" || !onProgress) return;
      const m = [...text.matchAll(/^progress (\d+)$/gm)].at(-1);
      if (m) onProgress(Number(m[1]));
    },
  });
  const result = answer<SeedResult>(r, "result");
  if (r.failed || !result) throw new Error(`seeding the lab through the OpenStack API failed: ${lastError(r)}`);
  return result;
}

export interface HealthAnswer extends HealthResult {
  checks: { oldToken?: number; [k: string]: unknown };
}

export async function runHealth(
  exec: CommandExecutor,
  bin: string,
  opts: {
    expect: (SeedResult & { loadTable: boolean }) | null;
    oldToken: string | null;
    waitS: number;
    download?: boolean;
    only?: "old-token";
  },
): Promise<HealthAnswer> {
  const r = await exec.run({
    label: opts.only ? "lab-old-token" : "lab-health",
    command: "bash",
    args: ["-c", WITH_ADMIN_RC, `${bin}/health.py`],
    env: {
      DRDRILL_EXPECT: JSON.stringify(opts.expect ?? {}),
      DRDRILL_WAIT_S: String(opts.waitS),
      DRDRILL_DOWNLOAD: opts.download === false ? "0" : "1",
      ...(opts.only ? { DRDRILL_ONLY: opts.only } : {}),
      ...(opts.oldToken ? { DRDRILL_OLD_TOKEN: opts.oldToken } : {}),
    },
    secretEnv: opts.oldToken ? ["DRDRILL_OLD_TOKEN"] : [],
    timeoutMs: (opts.waitS + 120) * 1000 + (opts.download === false ? 0 : (opts.expect?.bytes ?? 0) / 2000),
  });
  const a = answer<HealthAnswer>(r, "health");
  return a ?? { ok: false, detail: `health check did not answer: ${lastError(r)}`, checks: {} };
}

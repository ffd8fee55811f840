// Stands up a drill: the target, a check that the tool is installed, the tool's session, the seeded
// data, a fault pre-flight, and a steady-state health check before anything is broken.
import { mkdir } from "node:fs/promises";
import { confine } from "../faults/confine.ts";
import { TARGETS } from "../targets/registry.ts";
import { TOOLS } from "../tools/registry.ts";
import { parseDuration, parseSize } from "../util/units.ts";
import { DEFAULT_TIMEOUT_MS, type Drill } from "./drill.ts";
import { EnvironmentError } from "../model/errors.ts";

export async function standUp(drill: Drill): Promise<void> {
  const s = drill.plan.loaded.scenario;
  const targetDef = TARGETS[drill.targetName];
  if (!targetDef) throw new EnvironmentError(`target "${drill.targetName}" is not available in this drdrill (available: ${Object.keys(TARGETS).join(", ")})`);
  const adapter = TOOLS[drill.plan.tool]!;
  await mkdir(drill.logDir, { recursive: true });
  drill.target = await drill.phase("prepare", () => targetDef.start({ workDir: drill.workDir, journal: drill.journal, secrets: drill.env.secrets, logDir: drill.logDir, mode: s.mode, settings: s.targetSettings?.[drill.targetName] }));
  const target = drill.target;
  drill.journal.emit("target", { name: target.name, info: target.describe() });
  const which = await target.exec.run({ label: "check-binaries", command: "sh", args: ["-c", adapter.binaries.map((b) => `command -v ${b} >/dev/null || echo ${b}`).join("; ")] });
  const missing = which.stdout.trim();
  if (missing) throw new EnvironmentError(`${drill.plan.tool} needs ${missing.split("\n").join(", ")} on ${target.exec.where}; install it (see README: ci/setup.sh tools)`);
  drill.env.versions[adapter.name] ??= await adapter.version(target.exec).catch(() => "unknown");
  drill.session = adapter.open(drill.plan.settings, {
    exec: drill.watchedExec(target.exec),
    repoDir: target.repoDir.exec,
    workDir: target.toolDir.exec,
    passphrase: () => (drill.current === "backup" || drill.current === "restore" || drill.current === "check" ? drill.state.override[drill.current] : undefined) ?? drill.state.passphrase,
    timeoutMs: drill.env.timeoutMs ?? (s.timeout ? parseDuration(s.timeout) : undefined) ?? DEFAULT_TIMEOUT_MS,
  });
  const sizeBytes = drill.env.sizeBytes ?? parseSize(s.dataset.size)!;
  const seeded = await drill.phase("seed", () => target.seed({ sizeBytes, seed: s.dataset.seed, ...(s.dataset.copyFrom ? { copyFrom: s.dataset.copyFrom } : {}) }, (b) => drill.env.progress.bytes(b, sizeBytes)));
  drill.journal.emit("dataset", seeded);
  drill.seededBytes = seeded.bytes;
  await preflightFaults(drill);
  await target.resume();
  const health = await target.health();
  drill.journal.emit("health", health);
  if (!health.ok) throw new EnvironmentError(`target not healthy before the drill: ${health.detail}`);
  const init = await drill.session.init();
  if (init) {
    drill.calls.record("init", init);
    if (init.failed) throw new EnvironmentError(`${init.label} failed: ${init.message ?? `exit ${init.exitCode}`}`);
  }
}

/** Refuses a fault path that escapes the data directory through a symlink, before anything runs. */
async function preflightFaults(drill: Drill): Promise<void> {
  for (const step of drill.plan.loaded.scenario.steps) {
    for (const [name, params] of Object.entries(step.fault ?? {})) {
      const path = (params as { path?: unknown }).path;
      if (typeof path !== "string") continue;
      await confine(drill.target!.dataDir.host, path).catch((e: Error) => {
        throw new EnvironmentError(`fault ${name}: ${e.message}; refused before the drill`);
      });
    }
  }
}


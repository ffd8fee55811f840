// Stands up a drill and returns it started: the target, a check that the tool is installed there,
// the tool's session, the seeded data, a check of every path the faults will touch, and a
// steady-state health check before anything is broken. Each thing stood up is pushed on the
// drill's disposal stack, so cleanup runs whatever happens next.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { siteOf } from "../site/site-settings.ts";
import { startSite, type SiteEndpoint, type StartedSite } from "../site/site.ts";
import type { CommandExecutor } from "../exec/types.ts";
import { FAULTS } from "../faults/registry.ts";
import { EnvironmentError } from "../model/errors.ts";
import { initialState } from "../steps/state.ts";
import { passphraseFor } from "../steps/state.ts";
import { TARGETS } from "../targets/registry.ts";
import type { Standby, StartedTarget } from "../targets/target.ts";
import { TOOLS } from "../tools/registry.ts";
import type { DisposalStack } from "../util/disposal.ts";
import { addLease, dropLease } from "../util/leases.ts";
import { parseDuration, parseSize } from "../util/units.ts";
import { DrillContext } from "./drill-context.ts";
import type { DrillEnv } from "./drill-env.ts";
import { runPhase } from "./phase.ts";
import type { RunPlan } from "./plan.ts";
import { ToolCallLog } from "./tool-call-log.ts";

export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export interface RunFolders {
  logDir: string;
  workDir: string;
  runName: string;
}

/** The target's executor, watched: the drill learns of every command it starts (armed faults, progress). */
function watched(inner: CommandExecutor, ctx: () => DrillContext | null): CommandExecutor {
  return {
    where: inner.where,
    run: (spec) =>
      inner.run({
        ...spec,
        onSpawn: (group) => {
          spec.onSpawn?.(group);
          ctx()?.onSpawn(group);
        },
      }),
  };
}

export async function standUp(
  plan: RunPlan,
  env: DrillEnv,
  folders: RunFolders,
  disposal: DisposalStack,
): Promise<DrillContext> {
  const s = plan.loaded.scenario;
  const io = { journal: env.journal, progress: env.progress, signal: env.signal };
  const given = env.targetName ?? s.target ?? "local";
  const url = /^[a-z]+:\/\//.test(given) ? given : undefined;
  const targetName = url ? given.slice(0, given.indexOf(":")) : given;
  const targetDef = env.extra?.targets?.[targetName] ?? TARGETS[targetName];
  if (!targetDef)
    throw new EnvironmentError(
      `target "${targetName}" is not available in this drdrill (available: ${Object.keys(TARGETS).join(", ")})`,
    );
  const tool = env.extra?.tools?.[plan.tool] ?? TOOLS[plan.tool]!;
  await mkdir(folders.logDir, { recursive: true });
  const targetOpts = {
    workDir: folders.workDir,
    runName: folders.runName,
    journal: env.journal,
    secrets: env.secrets,
    logDir: folders.logDir,
    mode: s.mode,
    signal: env.signal,
    keep: env.keep,
    ...(tool.capabilities.replication?.standby ? { standbyWanted: true } : {}),
    ...(url ? { url } : {}),
    ...(s.targetSettings?.[targetName] || env.targetSettings?.[targetName]
      ? {
          settings: {
            ...(s.targetSettings?.[targetName] as Record<string, unknown> | undefined),
            ...env.targetSettings?.[targetName],
          },
        }
      : {}),
  };
  const target: StartedTarget = await runPhase(io, "prepare", () => targetDef.start(targetOpts));
  disposal.defer("target", () => target.stop());
  env.journal.emit("target", { name: target.name, info: target.describe() });
  for (const e of env.journal.events(env.journal.run)) if (e.type === "warning") env.progress.warn?.(e.text);

  const which = await target.exec.run({
    label: "check-binaries",
    command: "sh",
    args: ["-c", tool.binaries.map((b) => `command -v ${b} >/dev/null || echo ${b}`).join("; ")],
    log: false,
  });
  const missing = which.stdout.trim();
  if (which.notStarted) throw new EnvironmentError(`cannot run commands on ${target.exec.where}: ${which.message}`);
  if (missing)
    throw new EnvironmentError(
      `${plan.tool} needs ${missing.split("\n").join(", ")} on ${target.exec.where}; install it there: ${tool.install}`,
    );
  env.versions[tool.name] ??= await tool.version(target.exec).catch(() => "unknown");

  // The secondary site, when the backups go to one; the target gets the key and the site's host key.
  const siteSpec = siteOf(s.destination);
  let site: StartedSite | null = null;
  let endpoint: SiteEndpoint | undefined;
  let standby: Standby | null = null;
  if (siteSpec) {
    const wantsStandby = Boolean(tool.capabilities.replication?.standby);
    if (wantsStandby && !target.startStandby)
      throw new EnvironmentError(
        `${plan.tool} fails over to a standby node at site B, which the ${target.name} target cannot start (the lab target can)`,
      );
    site = await runPhase(
      io,
      "prepare",
      () =>
        startSite(siteSpec, {
          runDir: join(folders.workDir, "site"),
          runName: folders.runName,
          logDir: folders.logDir,
          secrets: env.secrets,
          sharedDisk: wantsStandby,
        }),
      "secondary site",
    );
    const started = site;
    disposal.defer("secondary site", () => started.stop({ keep: env.keep }));
    env.journal.emit("site", { info: site.describe() });
    target.attachSite?.(site);
    const cred = await site.credentials();
    endpoint = site.endpoint({
      identityFile: await target.putToolFile("site-key", cred.privateKey, 0o600),
      knownHostsFile: await target.putToolFile("site-known-hosts", cred.knownHosts, 0o644),
    });
    if (wantsStandby) {
      const atSite = site;
      standby = await runPhase(io, "prepare", () => target.startStandby!(atSite), "standby node at site B");
      const sb = standby;
      disposal.defer("standby node", () => sb.stop());
      env.journal.emit("standby", { info: standby.describe() });
    }
  }
  const secretSetting = tool.capabilities.encryption(plan.settings).secretSetting ?? "passphrase";
  const passphrase = env.secrets.resolve(plan.settings[secretSetting] as { env: string } | undefined);
  const calls = new ToolCallLog(env.journal, env.outDir);
  let ctx: DrillContext | null = null;
  const services = {
    plan: {
      scenario: s.name,
      mode: s.mode,
      seed: s.dataset.seed,
      require: s.require,
      repeat: plan.repeat,
      ...(plan.intervalMs ? { intervalMs: plan.intervalMs } : {}),
      ...(plan.bandwidthBps ? { bandwidthBps: plan.bandwidthBps } : {}),
      toolName: plan.tool,
      tool,
      settings: plan.settings,
    },
    target,
    site,
    standby,
    session: null,
    journal: env.journal,
    calls,
    progress: env.progress,
    signal: env.signal,
  };
  ctx = new DrillContext(
    services,
    initialState(
      passphrase,
      s.steps.some((st) => (st.verify as string[] | undefined)?.includes("services")),
    ),
  );
  const drill = ctx;
  disposal.defer("armed faults", () => drill.armed.disposeAll());
  const leased: string[] = [];
  const session = tool.open(plan.settings, {
    exec: watched(target.exec, () => ctx),
    repoDir: site ? site.repoPath : target.paths.repo,
    ...(endpoint ? { site: endpoint } : {}),
    ...(standby ? { standby: { exec: standby.exec, primaryHost: standby.primaryHost, dataDir: standby.dataDir } } : {}),
    addSecret: (v: string) => env.secrets.add(v),
    workDir: target.paths.tool,
    passphrase: () => passphraseFor(drill.state, drill.currentKind),
    // --timeout is taken as given; a scenario's timeout is scaled to a slow (emulated) target.
    timeoutMs:
      env.timeoutMs ??
      (s.timeout ? parseDuration(s.timeout)! * (target.timeScale ?? 1) : undefined) ??
      DEFAULT_TIMEOUT_MS,
    onProgress: (p) => p.bytes !== undefined && env.progress.bytes(p.bytes, p.totalBytes),
    ...(target.exec.where === "local"
      ? {
          leaseProcess: (pid: number, match: string, what: string) => {
            leased.push(String(pid));
            return addLease(folders.runName, { kind: "process-group", id: String(pid), match, what });
          },
        }
      : {}),
  });
  disposal.defer("tool session", async () => {
    await session.close?.();
    for (const id of leased) await dropLease(folders.runName, { kind: "process-group", id });
  });
  (services as { session: typeof session | null }).session = session;

  const sizeBytes = env.sizeBytes ?? parseSize(s.dataset.size)!;
  // The pristine copy (made by the first run that needs it) is seeding too: timed in this phase.
  const seeded = await runPhase(io, "seed", async () => {
    const pristine = env.pristine && target.name === "local" ? await env.pristine.get(s.dataset, sizeBytes) : undefined;
    // The pristine tree's hashes (made once, on first use) are read while the clone is made: the
    // backup's manifest waits for them, and the tree's reads and the clone's writes overlap.
    pristine?.known().catch(() => {});
    return target.seed(
      {
        sizeBytes,
        seed: s.dataset.seed,
        ...(s.dataset.copyFrom ? { copyFrom: s.dataset.copyFrom } : {}),
        ...(pristine ? { pristine } : {}),
      },
      (b) => env.progress.bytes(b, sizeBytes),
    );
  });
  env.journal.emit("dataset", seeded);
  drill.apply({ seededBytes: seeded.bytes });
  await target.resume();
  const health = await target.health();
  env.journal.emit("health", health);
  if (!health.ok) throw new EnvironmentError(`target not healthy before the drill: ${health.detail}`);
  await preflightFaults(drill, plan);
  const init = await session.init();
  if (init) {
    calls.record("init", init);
    if (init.failed) throw new EnvironmentError(`${init.label} failed: ${init.message ?? `exit ${init.exitCode}`}`);
  }
  // A write-once site is sealed once the repository exists: making it is the operator's setup (restic's
  // init makes a folder and then changes its mode, which a folder already handed to root refuses).
  const how = tool.capabilities.site;
  if (site && siteSpec?.appendOnly && "appendOnly" in how && how.appendOnly === "write-once") await site.sealArrivals();
  return drill;
}

/**
 * Every path a fault names is looked at on the target before anything is broken: a folder parameter
 * that is a symlink (or runs through one), or a path that is not there, is refused now.
 */
async function preflightFaults(ctx: DrillContext, plan: RunPlan): Promise<void> {
  for (const step of plan.loaded.scenario.steps) {
    for (const [name, params] of Object.entries((step.fault ?? {}) as Record<string, unknown>)) {
      for (const p of FAULTS[name]?.paths?.(params) ?? []) {
        const dir = p.root === "data" ? ctx.target.data : ctx.target.repo;
        const st = (await dir.stat([p.path]))[p.path];
        const why = !st
          ? `"${p.path}" does not exist in the ${dir.label}`
          : "refused" in st
            ? st.refused
            : p.kind === "dir" && st.type !== "dir"
              ? `"${p.path}" is ${st.type === "symlink" ? "a symlink" : `a ${st.type}`}, not a folder of the ${dir.label}; not followed`
              : null;
        if (why) throw new EnvironmentError(`fault ${name} (${p.field}): ${why}; refused before the drill`);
      }
    }
  }
}

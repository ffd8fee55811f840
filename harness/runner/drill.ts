// One drill's steps: stand up the target, seed it, then the scenario's steps in order (backup, load,
// schedule, fault, check, restore, verify), recording every event; cleanup always runs.
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { CommandExecutor, ProcessHandle } from "../exec/types.ts";
import { confine } from "../faults/confine.ts";
import type { DrillState } from "../faults/fault.ts";
import { FAULTS } from "../faults/registry.ts";
import type { Step } from "../scenario/schema.ts";
import type { StartedTarget } from "../targets/target.ts";
import type { ToolRun, ToolSession } from "../tools/tool.ts";
import { dirSize } from "../util/dir-size.ts";
import { createRng } from "../util/prng.ts";
import { parseDuration } from "../util/units.ts";
import { ArmedFaults } from "./armed-faults.ts";
import type { DrillFacts } from "./decide-outcome.ts";
import { InterruptedError } from "../model/errors.ts";
import type { Journal } from "../journal/journal.ts";
import type { PhaseName, ToolCallKind } from "../model/journal-events.ts";
import { manifestDigest, type Manifest } from "../verify/build-manifest.ts";
import type { RunPlan } from "./plan.ts";
import type { Progress } from "../model/progress.ts";
import type { FaultRecord } from "../model/result.ts";
import { SecretStore } from "../util/secrets.ts";
import { ToolCallLog } from "./tool-call-log.ts";
import { inspectRestore } from "./inspect.ts";
import { standUp } from "./stand-up.ts";
import type { Verification } from "../model/verification.ts";

export interface DrillEnv {
  journal: Journal;
  secrets: SecretStore;
  outDir: string;
  workRoot: string;
  /** From --target; when absent the scenario's `target`, else local. */
  targetName?: string;
  sizeBytes?: number;
  timeoutMs?: number;
  keep: boolean;
  signal: AbortSignal;
  progress: Progress;
  /** Filled as tools are first used: tool name -> version. */
  versions: Record<string, string>;
}

export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

interface BackupPoint {
  wallMs: number;
  manifest: Manifest;
}

export class Drill {
  readonly facts: DrillFacts;
  readonly calls: ToolCallLog;
  readonly faults: FaultRecord[] = [];
  readonly backups: BackupPoint[] = [];
  readonly armed = new ArmedFaults();
  verification: Verification | null = null;
  target: StartedTarget | null = null;
  session: ToolSession | null = null;
  state: DrillState;
  /** The kind of tool call running now: decides the passphrase and which armed faults watch it. */
  current: ToolCallKind = "other";
  onSpawn: ((group: ProcessHandle) => void) | null = null;
  seededBytes = 0;
  readonly logDir: string;
  readonly workDir: string;

  constructor(
    readonly plan: RunPlan,
    readonly env: DrillEnv,
  ) {
    const s = plan.loaded.scenario;
    this.facts = {
      faultInjected: false,
      restoreRan: false,
      restoreSucceeded: false,
      servicesRequired: s.steps.some((st) => st.verify?.includes("services")),
    };
    this.state = { passphrase: env.secrets.resolve(plan.settings.passphrase as { env: string } | undefined), override: {} };
    this.logDir = join(env.outDir, "logs", `run-${String(plan.index + 1).padStart(3, "0")}`);
    this.workDir = join(env.workRoot, `run-${plan.index + 1}`);
    this.calls = new ToolCallLog(env.journal, env.outDir);
  }

  /** --target wins, then the scenario's own target, then the local default. */
  get targetName(): string {
    return this.env.targetName ?? this.plan.loaded.scenario.target ?? "local";
  }

  get journal(): Journal {
    return this.env.journal;
  }

  checkAbort(): void {
    if (this.env.signal.aborted) throw new InterruptedError(String(this.env.signal.reason ?? "SIGINT"));
  }

  async phase<T>(name: PhaseName, fn: () => Promise<T>, detail?: string): Promise<T> {
    this.checkAbort();
    const start = this.journal.now();
    this.journal.emit("phase-start", { phase: name, ...(detail ? { detail } : {}) });
    this.env.progress.phase(name, detail);
    let ok = false;
    try {
      const out = await fn();
      ok = true;
      return out;
    } finally {
      this.journal.emit("phase-end", { phase: name, ok });
      this.env.progress.phaseEnd(name, ok, this.journal.now() - start, detail);
    }
  }

  /** Runs one tool call with the passphrase for its kind; armed faults see its process start. */
  async call(kind: ToolCallKind, fn: (s: ToolSession) => Promise<ToolRun>): Promise<ToolRun> {
    this.current = kind;
    try {
      return await fn(this.session!);
    } finally {
      this.current = "other";
    }
  }

  /** On a TTY, shows how many bytes `dir` holds while `fn` runs (the repository, or the restore). */
  async showingBytes<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    if (!this.env.progress.wantsBytes) return fn();
    const timer = setInterval(() => void dirSize(dir).then((b) => this.env.progress.bytes(b)), 1000);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }

  /** A failed tool call after a fault is the tool reporting damage; before one, or a hang, it is a failure. */
  noteFailure(run: ToolRun): void {
    if (!run.failed) return;
    const what = `${run.label}: ${run.message ?? `exit ${run.exitCode}`}`;
    // A tool that printed an explicit error and then hung still reported the damage (duplicity+GPG does).
    const silentHang = run.timedOut && !run.reportedError;
    if (silentHang || !this.facts.faultInjected) this.facts.toolFailure ??= what;
    else this.facts.reportedByTool ??= what;
  }

  /** The target's executor, watched: armed faults learn the pid of the call they act on. */
  watchedExec(inner: CommandExecutor): CommandExecutor {
    return {
      where: inner.where,
      run: (spec) =>
        inner.run({
          ...spec,
          onSpawn: (group) => {
            spec.onSpawn?.(group);
            this.onSpawn?.(group);
            if (this.current === "backup" || this.current === "restore") this.armed.onToolStart(this.current, group);
          },
        }),
    };
  }

  /** Stands up the target and the tool (see stand-up.ts). */
  start(): Promise<void> {
    return standUp(this);
  }

  async servicesDown(): Promise<void> {
    if (!this.target!.servicesRunning()) return;
    this.journal.emit("services-down", {});
    await this.phase("quiesce", () => this.target!.quiesce());
  }

  async servicesUp(): Promise<boolean> {
    const target = this.target!;
    await this.phase("resume", () => target.resume());
    const health = await target.health();
    this.journal.emit("health", health);
    if (health.ok) this.journal.emit("services-up", {});
    this.facts.healthOk = health.ok;
    this.facts.healthDetail = health.detail;
    return health.ok;
  }

  async step(step: Step): Promise<boolean> {
    if (step.backup) return this.backup(step.backup);
    if (step.load) return this.pause("load", step.load);
    if (step.wait) return this.pause("wait", step.wait);
    if (step.fault) return this.fault(step.fault);
    if (step.check) return this.check(step.check === "deep");
    if (step.restore) return this.restore(step.restore === "latest" ? undefined : step.restore.at);
    if (step.verify) return this.verify(step.verify);
    if (step.schedule) return this.schedule(step.schedule);
    return true;
  }

  async backup(kind: "full" | "incremental"): Promise<boolean> {
    const target = this.target!;
    const cold = this.plan.loaded.scenario.mode === "cold";
    if (cold) await this.servicesDown();
    else if (target.prepareHotBackup) await this.phase("quiesce", () => target.prepareHotBackup!(), "hot: consistent dump");
    const manifest = await this.phase("manifest", () => target.manifest());
    this.journal.emit("manifest", { files: manifest.files, bytes: manifest.bytes, digest: manifestDigest(manifest) });
    const wallMs = Date.now();
    let run = await this.phase("backup", () => this.showingBytes(target.repoDir.host, () => this.call("backup", (s) => s.backup(kind, target.dataDir.exec))), kind);
    this.calls.record("backup", run);
    const armed = await this.afterArmed("backup", run);
    if (armed.retry) {
      run = await this.phase("backup", () => this.call("backup", (s) => s.backup(kind, target.dataDir.exec)), `${kind}, run again after the crash`);
      this.calls.record("backup", run);
      this.noteFailure(run);
      for (const name of Object.keys(armed.effects)) {
        const rec = this.faults.findLast((f) => f.fault === name);
        if (rec) rec.effects.rerun = { exitCode: run.exitCode, durationMs: Math.round(run.durationMs), ...(run.stats ? { stats: run.stats } : {}) };
      }
    } else if (!armed.consumedFailure) this.noteFailure(run);
    this.journal.emit("repo-size", { bytes: await dirSize(target.repoDir.host) });
    if (!run.failed) this.backups.push({ wallMs, manifest });
    if (cold) await this.servicesUp();
    return !run.failed;
  }

  /** Lets the armed faults judge the call they acted on; their effects join the fault's record. */
  async afterArmed(on: "backup" | "restore", run: ToolRun) {
    const out = await this.armed.finish(on, run);
    for (const [name, effects] of Object.entries(out.effects)) {
      const rec = this.faults.findLast((f) => f.fault === name);
      if (rec) Object.assign(rec.effects, effects);
      this.journal.emit("fault-effects", { fault: name, stage: `after ${on}`, effects });
    }
    if (out.detectedBy) this.facts.reportedByTool ??= out.detectedBy;
    return out;
  }

  async pause(name: "load" | "wait", duration: string): Promise<boolean> {
    await this.phase(name, () => this.sleep(parseDuration(duration)!), duration);
    return true;
  }

  async sleep(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.env.signal });
    } catch {
      this.checkAbort();
    }
  }

  /** Backups every interval while the load writer runs; then the disaster strikes within the last interval. */
  async schedule(spec: { for: string; every?: string | undefined; backup: "full" | "incremental"; jitter: boolean }): Promise<boolean> {
    const every = spec.every ? parseDuration(spec.every)! : this.plan.intervalMs!;
    const start = Date.now();
    const until = start + parseDuration(spec.for)!;
    let ok = true;
    // Backups start on a fixed clock (start + k * every); one that overruns delays only the next.
    for (let k = 1; start + k * every <= until; k++) {
      const next = start + k * every;
      await this.phase("load", () => this.sleep(Math.max(0, next - Date.now())), `until the next backup (every ${every / 1000} s)`);
      ok = (await this.backup(spec.backup)) && ok;
    }
    // Disasters do not wait for the next backup: strike at a seeded point of the interval.
    const fraction = spec.jitter ? createRng(`schedule:${this.plan.loaded.scenario.dataset.seed}:${this.plan.repeat}:${every}`)() : 1;
    await this.phase("load", () => this.sleep(Math.round(every * fraction)), `${Math.round(fraction * 100)} % of an interval`);
    return ok;
  }

  async fault(spec: Record<string, unknown>): Promise<boolean> {
    const target = this.target!;
    for (const [name, params] of Object.entries(spec)) {
      const fault = FAULTS[name]!;
      const workDir = join(this.workDir, "faults", `${this.faults.length + 1}-${name}`);
      await mkdir(workDir, { recursive: true });
      const result = await this.phase("fault", () =>
        fault.inject(params, {
          dataDir: target.dataDir.host,
          repoDir: target.repoDir.host,
          workDir,
          tool: this.plan.tool,
          settings: this.plan.settings,
          sourceBytes: this.backups.at(-1)?.manifest.bytes ?? this.seededBytes,
          seed: this.plan.loaded.scenario.dataset.seed,
          state: this.state,
          confine,
          crashBackup: (afterMs) => this.crashBackup(afterMs),
        }), name);
      if (result.armed) this.armed.add(name, result.armed);
      this.facts.faultInjected = true;
      const ev = this.journal.emit("fault-injected", { fault: name, params: params as Record<string, unknown>, effects: result.effects });
      this.faults.push({ fault: name, params: params as Record<string, unknown>, effects: { ...result.effects }, atMs: ev.t });
    }
    return true;
  }

  /** A backup killed mid-way, as a crash would leave it (stale locks, partial volumes). */
  async crashBackup(afterMs: number): Promise<ToolRun> {
    // An adapter may run helper commands first; the crash hits whichever runs `afterMs` after the call began.
    let current: ProcessHandle | null = null;
    this.onSpawn = (group) => (current = group);
    const timer = setTimeout(() => void current?.kill("SIGKILL"), afterMs);
    try {
      const run = await this.call("other", (s) => s.backup(this.backups.length > 0 ? "incremental" : "full", this.target!.dataDir.exec));
      this.calls.record("other", { ...run, label: `${run.label}-crashed` });
      return run;
    } finally {
      this.onSpawn = null;
      clearTimeout(timer);
    }
  }

  async check(deep: boolean): Promise<boolean> {
    const run = await this.phase("check", () => this.call("check", (s) => s.check(deep, this.target!.dataDir.exec)), deep ? "deep" : "light");
    this.calls.record("check", run);
    this.noteFailure(run);
    return !run.failed || this.facts.faultInjected;
  }

  /** The manifest a restore should reproduce: that of the newest backup taken at or before `at`. */
  reference(at?: string): Manifest | undefined {
    if (!at) return this.backups.at(-1)?.manifest;
    const nth = /^backup:(\d+)$/.exec(at);
    if (nth) return this.backups[Number(nth[1]) - 1]?.manifest;
    const t = Date.parse(at);
    return this.backups.filter((b) => b.wallMs <= t).at(-1)?.manifest;
  }

  async restore(at?: string): Promise<boolean> {
    const target = this.target!;
    // The disaster took the services down; the procedure stops what is left before restoring.
    if (target.servicesRunning()) await this.phase("quiesce", () => target.quiesce());
    const staging = await target.stagingDir(this.armed.stagingParent());
    const run = await this.phase("restore", () => this.showingBytes(staging.host, () => this.call("restore", (s) => s.restore(staging.exec, at ? { at } : undefined))), at ?? "latest");
    this.calls.record("restore", run);
    const armed = await this.afterArmed("restore", run);
    if (!armed.consumedFailure) this.noteFailure(run);
    this.facts.restoreRan = true;
    this.facts.restoreSucceeded = !run.failed;
    const expected = this.reference(at);
    if (expected) await this.phase("inspect", () => inspectRestore(this, expected, staging));
    else this.facts.toolFailure ??= `no backup was taken at or before ${at ?? "now"}: the restored tree cannot be verified`;
    // A careful operator does not put a tree the tool called broken into production.
    if (run.failed) return false;
    await this.phase("replace", () => target.replaceData(staging));
    this.journal.emit("load-survivor", await target.loadSurvivor());
    await this.servicesUp();
    return true;
  }

  async verify(what: ("files" | "services")[]): Promise<boolean> {
    return this.phase("verify", async () => {
      if (what.includes("services") && this.facts.restoreSucceeded) {
        const health = await this.target!.health();
        this.journal.emit("health", health);
        this.facts.healthOk = health.ok;
        this.facts.healthDetail = health.detail;
      }
      return this.facts.contentOk !== false && this.facts.healthOk !== false;
    }, what.join(","));
  }

  async cleanup(): Promise<void> {
    this.journal.emit("phase-start", { phase: "cleanup" });
    let ok = true;
    await this.armed.disposeAll();
    try {
      await this.target?.stop();
    } catch {
      ok = false;
    }
    if (!this.env.keep) await rm(this.workDir, { recursive: true, force: true }).catch(() => (ok = false));
    this.journal.emit("phase-end", { phase: "cleanup", ok });
  }
}


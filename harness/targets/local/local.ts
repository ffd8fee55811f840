// The embedded default target: a directory shaped like /var/snap/microstack/common/ on this machine,
// filled by the deterministic generator (or a copy of a real tree), whose "service" is a load-writer
// process appending to a journal file. Its files are touched through the agent, like any target's.
import { type ChildProcess, spawn } from "node:child_process";
import { chmod, mkdir, readFile, rm, rmdir, stat, statfs, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { nodeScriptArgs } from "../../util/node-script.ts";
import type { Agent } from "../../agent/agent.ts";
import { ConfinedDir } from "../../agent/confined-dir.ts";
import { localAgent } from "../../agent/local-dir.ts";
import { LocalExecutor } from "../../exec/local-executor.ts";
import { trackGroup, untrackGroup } from "../../exec/live-groups.ts";
import { EnvironmentError } from "../../model/errors.ts";
import type { SeededFiles } from "../../model/manifest.ts";
import { AbilitySet } from "../../rules/ability.ts";
import { smallFilesystem } from "../../rules/target-abilities.ts";
import { addLease, dropLease } from "../../util/leases.ts";
import { placing, warnLeftAlone } from "../left-alone.ts";
import type {
  DatasetSpec,
  SmallFilesystem,
  HealthResult,
  LoadSurvivor,
  SeedResult,
  Staging,
  StartedTarget,
  Target,
  TargetOptions,
} from "../target.ts";
import { copyTree } from "./copy-tree.ts";
import { generateDataset } from "./generator.ts";
import { readLoadRecords } from "./load-writer.ts";

/** Where the load writer keeps its records, relative to the data directory (like a DB journal). */
export const LOAD_FILE = "lib/mysql/drdrill-load.jsonl";
const WRITE_INTERVAL_MS = 100;
const HEALTH_TIMEOUT_MS = 15_000;

class StartedLocalTarget implements StartedTarget {
  readonly name = "local";
  readonly exec: LocalExecutor;
  readonly paths;
  readonly data: ConfinedDir;
  readonly repo: ConfinedDir;
  readonly scratch: ConfinedDir;
  readonly manifestExcludes = [LOAD_FILE];
  readonly abilities = new AbilitySet().with(smallFilesystem, (bytes: number) => this.smallFilesystem(bytes));
  seededFiles: SeededFiles | undefined;
  /** The target's own folder (staging, swaps): the harness's, never handed to a fault. */
  readonly #own: ConfinedDir;
  readonly #agent: Agent;
  #writer: ChildProcess | null = null;
  #resumedAtWall = 0;
  #staging = 0;
  #mounts = 0;

  constructor(
    private readonly root: string,
    private readonly opts: TargetOptions,
  ) {
    // Each tool call's process group is leased while it runs: `drdrill clean` ends it after a SIGKILL.
    this.exec = new LocalExecutor(opts.logDir, opts.secrets, { leaseRun: opts.runName });
    this.#agent = localAgent({ logDir: opts.logDir, secrets: opts.secrets });
    this.paths = { data: join(root, "common"), repo: join(root, "repo"), tool: join(root, "tool") };
    this.#own = new ConfinedDir(this.#agent, root, "target folder");
    this.data = new ConfinedDir(this.#agent, this.paths.data, "data directory");
    this.repo = new ConfinedDir(this.#agent, this.paths.repo, "backup destination");
    this.scratch = new ConfinedDir(this.#agent, join(root, "scratch"), "scratch folder");
  }

  async init(): Promise<void> {
    for (const d of ["common", "repo", "tool", "scratch"]) await mkdir(join(this.root, d), { recursive: true });
  }

  async seed(dataset: DatasetSpec, onProgress?: (bytes: number) => void): Promise<SeedResult> {
    const from = dataset.pristine?.dir ?? dataset.copyFrom;
    if (from) {
      const how = await copyTree(this.exec, from, this.paths.data, { hardLinks: dataset.pristine?.hardLinks });
      if (dataset.pristine) {
        // Made after the last file of the clone, on the same file system: a file of the clone whose
        // ctime is earlier has not changed since (the kernel moves ctime on every change).
        const marker = join(this.root, "seeded");
        await writeFile(marker, "");
        this.seededFiles = {
          known: dataset.pristine.known,
          unchangedBeforeCtimeNs: String((await stat(marker, { bigint: true })).ctimeNs),
        };
      }
      const { bytes, files } = dataset.pristine ?? (await this.data.size());
      return {
        bytes,
        files,
        method: dataset.copyFrom
          ? `${how} of ${dataset.copyFrom}`
          : `${how} of the pristine copy (${dataset.pristine!.madeBy})`,
      };
    }
    const g = await generateDataset(this.paths.data, dataset.sizeBytes, dataset.seed, onProgress);
    return { bytes: g.bytes, files: g.files, method: "generated" };
  }

  servicesRunning(): boolean {
    return this.#writer !== null && this.#writer.exitCode === null && this.#writer.signalCode === null;
  }

  async resume(): Promise<void> {
    if (this.servicesRunning()) return;
    const { script, args } = nodeScriptArgs("load-writer", import.meta.url);
    this.#resumedAtWall = Date.now();
    // The writer watches this process and ends with it, even when drdrill is killed hard.
    const loadFile = join(this.paths.data, LOAD_FILE);
    const child = spawn(process.execPath, [...args, loadFile, String(WRITE_INTERVAL_MS), String(process.pid)], {
      detached: true,
      stdio: "ignore",
    });
    if (child.pid) {
      trackGroup(child.pid);
      await addLease(this.opts.runName, {
        kind: "process-group",
        id: String(child.pid),
        match: `${script} ${loadFile}`,
        what: "local load writer",
      });
    }
    child.on("exit", () => {
      if (!child.pid) return;
      untrackGroup(child.pid);
      void dropLease(this.opts.runName, { kind: "process-group", id: String(child.pid) });
    });
    this.#writer = child;
  }

  async quiesce(): Promise<void> {
    const w = this.#writer;
    this.#writer = null;
    if (!w || w.exitCode !== null || w.signalCode !== null) return;
    const exited = new Promise<void>((r) => w.once("exit", () => r()));
    w.kill("SIGTERM");
    const timer = setTimeout(() => w.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }

  async health(): Promise<HealthResult> {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    let last = "";
    while (Date.now() < deadline) {
      last = await this.#probe();
      if (last === "ok") return { ok: true, detail: "load writer running; journal intact and advancing" };
      if (!this.servicesRunning()) return { ok: false, detail: `load writer not running (${last})` };
      await new Promise((r) => setTimeout(r, 50));
    }
    return { ok: false, detail: `not healthy after ${HEALTH_TIMEOUT_MS / 1000} s: ${last}` };
  }

  // The local target's own service writes this file on this machine: reading it directly is its business.
  async #probe(): Promise<string> {
    if (!this.servicesRunning()) return "load writer exited";
    const text = await readFile(join(this.paths.data, LOAD_FILE), "utf8").catch(() => null);
    if (text === null) return "journal file missing";
    const { records, intact } = readLoadRecords(text);
    if (!intact) return "journal torn or out of sequence";
    if ((records.at(-1)?.wallMs ?? 0) < this.#resumedAtWall) return "no record written since start";
    return "ok";
  }

  async loadSurvivor(): Promise<LoadSurvivor> {
    const text = (await this.data.read(LOAD_FILE).catch(() => null))?.toString("utf8") ?? "";
    const last = readLoadRecords(text).records.at(-1);
    return { newestWallMs: last?.wallMs ?? null, newestSeq: last?.seq ?? null };
  }

  /** The writer appends to its file in the data: the file's last record is the newest write. */
  loadNewest(): Promise<LoadSurvivor> {
    return this.loadSurvivor();
  }

  async staging(on?: SmallFilesystem): Promise<Staging> {
    const id = ++this.#staging;
    const parent = on ? on.path : this.root;
    const dir = join(parent, `staging-${id}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { mode: 0o700 });
    return { id, path: join(dir, "common"), dir: new ConfinedDir(this.#agent, dir, "restore staging"), name: "common" };
  }

  async replaceData(staging: Staging): Promise<void> {
    const inside = staging.dir.path.startsWith(`${this.root}/`);
    let from = `staging-${staging.id}/common`;
    // Restored onto another file system (disk-full's tmpfs): copied back first, then swapped.
    if (!inside) await copyTree(this.exec, staging.path, join(this.root, (from = "common.incoming")));
    const r = await this.#own.replace(from, "common");
    warnLeftAlone(this.opts.journal, placing(this.data.where), r.refused, r.refusedCount);
    // What is left of the source: nothing after a rename, what a mount point kept out after a swap.
    await this.#own.delete([inside ? `staging-${staging.id}` : from]);
  }

  async putToolFile(name: string, content: string | Buffer, mode: number): Promise<string> {
    const path = join(this.paths.tool, name);
    await writeFile(path, content, { mode });
    await chmod(path, mode);
    return path;
  }

  async smallFilesystem(bytes: number): Promise<SmallFilesystem> {
    if (process.getuid?.() !== 0) throw new EnvironmentError("disk-full needs root to mount a size-limited tmpfs");
    const mnt = join(this.root, `small-fs-${++this.#mounts}`);
    await mkdir(mnt, { recursive: true });
    const r = await this.exec.run({
      label: "mount-tmpfs",
      command: "mount",
      args: ["-t", "tmpfs", "-o", `size=${Math.ceil(bytes / 4096) * 4096},mode=0755`, "drdrill-disk-full", mnt],
    });
    if (r.failed) throw new EnvironmentError(`disk-full: mount of a tmpfs failed: ${r.stderr.trim()}`);
    await addLease(this.opts.runName, { kind: "mount", id: mnt, what: "disk-full tmpfs" });
    let mounted = true;
    return {
      path: mnt,
      async usage() {
        const s = await statfs(mnt);
        return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
      },
      dispose: async () => {
        if (!mounted) return;
        mounted = false;
        await this.exec.run({ label: "umount-tmpfs", command: "umount", args: ["-l", mnt], log: false });
        // Only the emptied mount point: a recursive removal would delete through a mount still there.
        await rmdir(mnt).catch(() => {});
        await dropLease(this.opts.runName, { kind: "mount", id: mnt });
      },
    };
  }

  describe(): Record<string, string> {
    return { kind: "local", dataDir: this.paths.data, services: "load writer (node)" };
  }

  async stop(): Promise<void> {
    await this.quiesce();
    this.#agent.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

export const localTarget: Target = {
  name: "local",
  description: "A local directory shaped like MicroStack's $SNAP_COMMON, with a load-writer process as its service.",
  parallelRuns: true,
  provides: [smallFilesystem],
  dataOnThisMachine: true,
  setupMs: 2_000,
  async start(opts: TargetOptions): Promise<StartedTarget> {
    const t = new StartedLocalTarget(join(opts.workDir, "target"), opts);
    await t.init();
    return t;
  },
};

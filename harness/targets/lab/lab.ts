// The `lab` target: MicroStack-compatible OpenStack services (Keystone, Glance, Placement, MariaDB,
// RabbitMQ) in a container started with testcontainers. Its data directory is the container's
// $SNAP_COMMON, bind-mounted from the run's folder; the tools run inside the container, with the
// archives on a host-mounted folder; `snap stop|start microstack` quiesce and resume it; health is
// checked through the OpenStack API; a load writer commits rows to MariaDB for the achieved RPO.
import { execa } from "execa";
import { appendFile, chmod, copyFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Agent } from "../../agent/agent.ts";
import { ConfinedDir } from "../../agent/confined-dir.ts";
import { localAgent } from "../../agent/local-dir.ts";
import { SNAP_COMMON } from "../../images/lab/names.ts";
import { removeLabOrphans } from "../../images/lab/container.ts";
import { EnvironmentError } from "../../model/errors.ts";
import { AbilitySet } from "../../rules/ability.ts";
import { standUpSite } from "../../rules/site-abilities.ts";
import { machineCrash, standbyNode } from "../../rules/target-abilities.ts";
import type { StartedSite } from "../../site/site.ts";
import type {
  DatasetSpec,
  Standby,
  SmallFilesystem,
  HealthResult,
  LoadSurvivor,
  SeedResult as TargetSeedResult,
  Staging,
  StartedTarget,
  Target,
  TargetOptions,
  TargetPaths,
} from "../target.ts";
import { DockerExecutor } from "./docker-executor.ts";
import { prepareHotCopy, useHotCopy } from "./hot-backup.ts";
import * as life from "./life.ts";
import { LOAD_TABLE_SQL, LoadWriter } from "./load-writer.ts";
import { RUN_MOUNT, SOURCE_MOUNT, startNode, type LabNode } from "./node.ts";
import { runHealth, runSeed, type SeedResult } from "./openstack-scripts.ts";
import { labSettings, type LabSettings } from "./settings.ts";
import { startLabStandby } from "./standby.ts";
import { manifestExcludes } from "./volatile.ts";
import { placing, warnLeftAlone } from "../left-alone.ts";

const SCRIPTS = fileURLToPath(new URL("./scripts/", import.meta.url));
const HEALTH_WAIT_S = 120;

/** One location seen from both sides: this machine (the bind mount) and inside the container. */
interface PathPair {
  host: string;
  exec: string;
}

class StartedLabTarget implements StartedTarget {
  readonly name = "lab";
  readonly exec: DockerExecutor;
  readonly paths: TargetPaths;
  readonly data: ConfinedDir;
  readonly repo: ConfinedDir;
  readonly scratch: ConfinedDir;
  readonly manifestExcludes: string[];
  readonly abilities = new AbilitySet()
    .with(standbyNode, (site: StartedSite) => this.startStandby(site))
    .with(machineCrash, () => this.crash());
  /** The run's folder on this machine: its data directory is the container's $SNAP_COMMON (a bind mount). */
  readonly #own: ConfinedDir;
  readonly #bin: PathPair;
  readonly #ctl: PathPair;
  readonly #writer: LoadWriter;
  readonly #agent: Agent;
  /** The node's life: which node, its services, its data directory (transitions in life.ts). */
  #life: life.LabLife<LabNode>;
  /** What the drill seeded, for health checks: set once, by seed(). */
  #expected: { seeded: SeedResult; oldToken: string } | null = null;
  #staging = 0;
  #siteContainer: string | null = null;
  readonly #toolFiles = new Map<string, { content: string | Buffer; mode: number }>();

  constructor(
    private readonly root: string,
    node: LabNode,
    private readonly opts: TargetOptions,
    private readonly settings: LabSettings,
  ) {
    // A restore test's node starts no service: the restored tree is checked, not brought up.
    this.#life = life.firstNode(node, opts.restoreTest ? "stopped" : "running");
    const at = (rel: string): PathPair => ({ host: join(root, rel), exec: join(RUN_MOUNT, rel) });
    this.paths = {
      data: SNAP_COMMON,
      repo: at("repo").exec,
      tool: at("tool").exec,
      ...(opts.sourceFolder ? { source: SOURCE_MOUNT } : {}),
    };
    this.#bin = at("bin");
    this.#ctl = at("ctl");
    this.exec = new DockerExecutor(node.exec, opts.logDir, opts.secrets, this.#ctl);
    // The lab's files are bind mounts of this machine's run folder: the agent works on them here.
    const agent = localAgent({ logDir: opts.logDir, secrets: opts.secrets });
    this.#agent = agent;
    this.#own = new ConfinedDir(agent, root, "lab run folder");
    this.data = new ConfinedDir(agent, join(root, "common"), `data directory (${SNAP_COMMON} in the container)`);
    this.repo = new ConfinedDir(agent, join(root, "repo"), "backup destination");
    this.scratch = new ConfinedDir(agent, join(root, "scratch"), "scratch folder");
    this.#writer = new LoadWriter(this.#bin, this.#ctl);
    this.manifestExcludes = manifestExcludes(opts.mode);
  }

  /** A line in the target's own log (logs/run-N/lab-target.log): what it did to the lab, when. */
  async note(text: string): Promise<void> {
    await appendFile(
      join(this.opts.logDir, "lab-target.log"),
      `${new Date().toISOString()} ${this.opts.secrets.redact(text)}\n`,
    );
  }

  async seed(dataset: DatasetSpec, onProgress?: (bytes: number) => void): Promise<TargetSeedResult> {
    if (dataset.copyFrom)
      throw new EnvironmentError(
        "the lab target is seeded through the OpenStack API; dataset.copyFrom is not supported",
      );
    const table = await this.exec.run({
      label: "lab-load-table",
      command: "microstack.mysql",
      args: ["-e", LOAD_TABLE_SQL],
      timeoutMs: 60_000,
    });
    if (table.failed) throw new Error(`creating the load writer's table failed: ${table.stderr.trim()}`);
    const seeded = await runSeed(
      this.exec,
      this.#bin.exec,
      { sizeBytes: dataset.sizeBytes, seed: dataset.seed, projects: this.settings.projects },
      onProgress,
    );
    this.#expected = { seeded, oldToken: await this.#issueToken() };
    this.#life = life.seeded(this.#life);
    await this.note(
      `seeded ${seeded.projects.length} projects, ${seeded.users.length} users, ${seeded.images.length} images ` +
        `(${seeded.bytes} bytes); issued the pre-disaster token`,
    );
    return {
      bytes: seeded.bytes,
      files: seeded.images.length,
      method: "seeded through the OpenStack API (projects, users, Glance images)",
    };
  }

  /** A Keystone token, read without logging it and kept as a secret (redacted everywhere). */
  async #issueToken(): Promise<string> {
    const r = await execa(
      "docker",
      ["exec", this.#node().exec.name, "microstack.openstack", "token", "issue", "-f", "value", "-c", "id"],
      { reject: false, stdin: "ignore", encoding: "utf8" },
    );
    const token = String(r.stdout ?? "").trim();
    if (r.exitCode !== 0 || !token) throw new Error("openstack token issue failed after seeding");
    this.opts.secrets.add(token);
    return token;
  }

  /** The node of the moment (an error where it is being replaced or removed). */
  #node(): LabNode {
    return life.nodeOf(this.#life);
  }

  servicesRunning(): boolean {
    return life.servicesRunning(this.#life);
  }

  async quiesce(): Promise<void> {
    await this.#writer.stop(this.#node().exec);
    const r = await this.exec.run({
      label: "lab-snap-stop",
      command: "snap",
      args: ["stop", "microstack"],
      timeoutMs: 180_000,
    });
    this.#life = life.quiesced(this.#life);
    if (r.failed)
      await this.note(`snap stop microstack: exit ${r.exitCode} (${r.stderr.trim().split("\n").at(-1) ?? ""})`);
  }

  async resume(): Promise<void> {
    const r = await this.exec.run({
      label: "lab-snap-start",
      command: "snap",
      args: ["start", "microstack"],
      timeoutMs: 300_000,
    });
    // A failed start after a bad restore is the drill's result, not the harness's error: health says it.
    const why = r.stderr.trim().split("\n").filter(Boolean).slice(-2).join(" / ") || `exit ${r.exitCode}`;
    this.#life = life.resumed(this.#life, r.failed ? `snap start microstack failed: ${why}` : null);
    if (!r.failed && this.#expected) await this.#writer.start(this.#node().exec);
  }

  async health(): Promise<HealthResult> {
    const now = this.#life;
    if (now.state === "start-failed") return { ok: false, detail: now.error };
    if (now.state !== "running" && now.state !== "stopped")
      return { ok: false, detail: `no lab node answers (the node is ${now.state})` };
    // Every image is downloaded and hashed on the first check (after seeding) and on every check
    // after a restore; in between (services back after a cold backup, nothing restored) Glance's
    // records suffice, so the downtime measured is not the time it takes to download the dataset.
    const download = !(now.data.kind === "seeded" && now.data.checked);
    const a = await runHealth(this.exec, this.#bin.exec, {
      expect: this.#expected ? { ...this.#expected.seeded, loadTable: true } : null,
      oldToken: this.#expected?.oldToken ?? null,
      waitS: HEALTH_WAIT_S,
      download,
    });
    if (a.ok) this.#life = life.checked(this.#life);
    if (now.origin.kind !== "fresh") return { ok: a.ok, detail: a.detail };
    const before = now.origin.oldTokenBefore;
    const proof = `fresh node: the pre-disaster token got HTTP ${before ?? "?"} before the restore`;
    if (before === 200)
      return { ok: false, detail: `${proof}, so the node was not fresh and the restore proves nothing; ${a.detail}` };
    return { ok: a.ok, detail: `${a.detail}; ${proof}` };
  }

  async prepareHotBackup(): Promise<void> {
    await prepareHotCopy(this.exec);
  }

  async loadSurvivor(): Promise<LoadSurvivor> {
    // Only the database is needed to read it; `snap start microstack` brings up the rest.
    const r = await this.exec.run({
      label: "lab-start-mysqld",
      command: "snap",
      args: ["start", "microstack.mysqld"],
      timeoutMs: 180_000,
    });
    if (r.failed) return { newestWallMs: null, newestSeq: null };
    return LoadWriter.newest(this.exec);
  }

  /** The newest row in MariaDB while it runs (before the disaster); nulls when it does not answer. */
  loadNewest(): Promise<LoadSurvivor> {
    return LoadWriter.newest(this.exec);
  }

  async staging(on?: SmallFilesystem): Promise<Staging> {
    // A fault's own filesystem (disk-full's small tmpfs) mounted on the host after the container
    // started never appears inside it (bind mounts do not propagate): refuse rather than ignore it.
    if (on)
      throw new EnvironmentError(
        `the lab target cannot restore onto ${on.path}: a folder mounted after the container started is not ` +
          `visible inside it`,
      );
    if (life.needsNewNode(this.#life, this.settings.restoreOnto)) await this.#replaceNode();
    const id = ++this.#staging;
    const dir = `staging-${id}`;
    await rm(join(this.root, dir), { recursive: true, force: true });
    await mkdir(join(this.root, dir));
    return { id, path: join(RUN_MOUNT, dir, "common"), dir: this.#own.sub(dir, "restore staging"), name: "common" };
  }

  /** The node is lost: a new container, freshly initialised (new keys and passwords), takes its place. */
  async #replaceNode(): Promise<void> {
    const lost = this.#node();
    this.#life = life.replacing(this.#life);
    await lost.container.remove();
    await this.note(`node lost: removed ${lost.container.name}`);
    await this.data.delete(["."]);
    await this.#own.delete(["tool"]);
    await mkdir(join(this.root, "tool"));
    // Only what the operator at the other site has: the repository's address, its key, the passphrase.
    for (const [name, f] of this.#toolFiles) await this.putToolFile(name, f.content, f.mode);
    const atSite = this.settings.restoreOnto === "site";
    if (atSite && !this.#siteContainer)
      throw new EnvironmentError("restoreOnto: site needs the scenario's destination: site");
    const node = await startNode({
      runDir: this.root,
      dataDir: join(this.root, "common"),
      fresh: true,
      ...(atSite ? { networkMode: `container:${this.#siteContainer}` } : {}),
      ...(this.opts.sourceFolder ? { sourceFolder: this.opts.sourceFolder } : {}),
    });
    this.exec.use(node.exec);
    const where = atSite ? ` at site B (in ${this.#siteContainer}'s network)` : "";
    await this.note(
      `fresh node ${node.container.name}${where}: ${node.container.readyLine} ` +
        `after ${Math.round(node.container.readyMs)} ms`,
    );
    const probe = await runHealth(this.exec, this.#bin.exec, {
      expect: null,
      oldToken: this.#expected?.oldToken ?? null,
      waitS: 30,
      only: "old-token",
    });
    const oldTokenBefore = typeof probe.checks.oldToken === "number" ? probe.checks.oldToken : null;
    this.#life = life.replaced(this.#life, node, { atSite, oldTokenBefore });
    await this.note(`fresh node, before the restore: pre-disaster token -> HTTP ${oldTokenBefore ?? "?"}`);
    await this.quiesce();
  }

  async replaceData(staging: Staging): Promise<void> {
    // $SNAP_COMMON is a mount point inside the container: its contents are swapped, not the folder.
    const r = await this.#own.replace(`staging-${staging.id}/common`, "common", { contents: true });
    this.#life = life.dataReplaced(this.#life);
    warnLeftAlone(this.opts.journal, placing(this.data.where), r.refused, r.refusedCount);
    await this.#own.delete([`staging-${staging.id}`]);
    let line = `restored tree (${r.moved} top-level entries) moved into ${SNAP_COMMON}`;
    if (this.opts.mode === "hot" && (await useHotCopy(this.data))) {
      this.#life = life.hotCopyUsed(this.#life);
      line += "; hot mode: the consistent mariabackup copy replaced the live InnoDB files (lib/mysql)";
    }
    await this.note(line);
  }

  /** A standby node at site B for a replicator: in the site's network, on the site's disk. */
  startStandby(site: StartedSite): Promise<Standby> {
    return startLabStandby({
      root: this.root,
      site,
      primaryContainer: this.#node().container.name,
      opts: this.opts,
      expected: () => ({ seeded: this.#expected?.seeded ?? null, oldToken: this.#expected?.oldToken ?? null }),
      note: (t) => this.note(t),
    });
  }

  /** Site loss: the node's container is killed (every process at once, mid-write), not stopped. */
  async crash(): Promise<void> {
    const { name } = this.#node().container;
    const r = await execa("docker", ["kill", "--signal", "KILL", name], {
      reject: false,
      stdin: "ignore",
      encoding: "utf8",
    });
    if (r.exitCode !== 0)
      throw new Error(`docker kill ${name} failed: ${String(r.stderr).trim() || `exit ${r.exitCode}`}`);
    this.#life = life.crashed(this.#life);
    await this.note(`node lost: killed ${name} (SIGKILL to every process in it)`);
  }

  /** The secondary site's container: a node restored "at site B" joins its network. */
  attachSite(site: { containerId?: string }): void {
    this.#siteContainer = site.containerId ?? null;
  }

  async putToolFile(name: string, content: string | Buffer, mode: number): Promise<string> {
    this.#toolFiles.set(name, { content, mode });
    // The tool folder is a bind mount of this machine's run folder: written here, read inside.
    const host = join(this.root, "tool", name);
    await writeFile(host, content, { mode });
    await chmod(host, mode);
    return `${this.paths.tool}/${name}`;
  }

  describe(): Record<string, string> {
    const now = this.#life;
    const node = "node" in now ? now.node : null;
    const origin = "origin" in now ? now.origin : null;
    const hotCopyUsed = "data" in now && now.data.kind === "restored" && now.data.hotCopy;
    return {
      kind: "lab",
      image: node?.container.image ?? "-",
      container: node?.container.name ?? `none (${now.state})`,
      dataDir: `${SNAP_COMMON} (host: ${this.data.path})`,
      services: "keystone, glance, placement, mariadb, rabbitmq, memcached (snap stop/start microstack)",
      restoreOnto: this.settings.restoreOnto,
      manifestExcludes: this.manifestExcludes.length > 0 ? this.manifestExcludes.join(", ") : "none",
      ...(origin?.kind === "fresh" ? { freshNodeOldTokenBefore: String(origin.oldTokenBefore) } : {}),
      ...(this.opts.mode === "hot"
        ? {
            hotCopy: hotCopyUsed ? "mariabackup copy used after restore" : "mariabackup copy taken before each backup",
          }
        : {}),
    };
  }

  async stop(): Promise<void> {
    this.#agent.close();
    const { life: after, remove } = life.removed(this.#life);
    this.#life = after;
    await remove?.container.remove();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

export const labTarget: Target = {
  name: "lab",
  description:
    "MicroStack-compatible OpenStack services (Keystone, Glance, Placement, MariaDB, RabbitMQ) in a container " +
    "(drdrill lab build).",
  settings: labSettings,
  // A node restored at site B joins the network of the site's container: one drdrill stands up.
  validate: (settings, ctx) =>
    settings.restoreOnto === "site" && !ctx.provides(standUpSite)
      ? [
          {
            field: "restoreOnto",
            message:
              "restoreOnto: site starts the new node in the network of a site drdrill stands up: " +
              "set destination: site (not an existing host)",
          },
        ]
      : [],
  // Each run has its own container (named after the process and a counter) and its own folders.
  parallelRuns: true,
  provides: [standbyNode, machineCrash],
  setupMs: 90_000,
  async start(opts: TargetOptions): Promise<StartedTarget> {
    const settings = labSettings.parse(opts.settings ?? {});
    const root = join(opts.workDir, "target");
    for (const d of ["common", "repo", "tool", "bin", "ctl", "scratch"])
      await mkdir(join(root, d), { recursive: true });
    for (const f of await readdir(SCRIPTS)) {
      await copyFile(join(SCRIPTS, f), join(root, "bin", f));
      await chmod(join(root, "bin", f), 0o755);
    }
    await removeLabOrphans();
    const node = await startNode({
      runDir: root,
      dataDir: join(root, "common"),
      fresh: false,
      ...(opts.standbyWanted ? { replication: "primary" as const } : {}),
      ...(opts.sourceFolder ? { sourceFolder: opts.sourceFolder } : {}),
      ...(opts.restoreTest ? { idle: true } : {}),
    });
    const t = new StartedLabTarget(root, node, opts, settings);
    await t.note(
      `started ${node.container.name} from ${node.container.image}: ${node.container.readyLine} after ` +
        `${Math.round(node.container.readyMs)} ms`,
    );
    return t;
  },
};

// The `ssh` target: drill an existing host (a real MicroStack node, a lab server, a VM) with the
// system's OpenSSH client. The tools run on the host, the archives go to a folder of the run there,
// every file operation is the agent's on the host, and a restore is staged next to the data
// directory (same file system) and swapped in with a rename. With `sandbox: clone` the data directory
// is a clone of the host's (sandbox.ts), which is only read.
import { mkdir } from "node:fs/promises";
import { join, posix } from "node:path";
import { ConfinedDir } from "../../agent/confined-dir.ts";
import { EnvironmentError } from "../../model/errors.ts";
import { AbilitySet } from "../../rules/ability.ts";
import { smallFilesystem } from "../../rules/target-abilities.ts";
import { parseSshUrl } from "../../ssh/target-url.ts";
import { generateDataset } from "../local/generator.ts";
import type {
  DatasetSpec,
  HealthResult,
  LoadSurvivor,
  SeedResult,
  SmallFilesystem,
  Staging,
  StartedTarget,
  Target,
  TargetOptions,
  TargetPaths,
} from "../target.ts";
import { connectHost, type RemoteHost } from "../../ssh/remote-host.ts";
import { noServices, snapServices, writerServices, type RemoteServices } from "../../ssh/remote-services.ts";
import { placing, warnLeftAlone } from "../left-alone.ts";
import { checkRealDataDir } from "./real-data-dir.ts";
import { CloneSandbox } from "./sandbox.ts";
import { sshSettings, type SshSettings } from "./settings.ts";
import { streamTree } from "./stream-tree.ts";

export class StartedSshTarget implements StartedTarget {
  readonly name: string;
  readonly paths: TargetPaths;
  readonly data: ConfinedDir;
  readonly repo: ConfinedDir;
  readonly scratch: ConfinedDir;
  readonly abilities = new AbilitySet().with(smallFilesystem, (bytes: number) => this.smallFilesystem(bytes));
  /** The data directory's parent: restores are staged beside the data, on its file system. */
  readonly #parent: ConfinedDir;
  readonly #base: string;
  #services: RemoteServices = noServices();
  #staging = 0;
  #mounts = 0;
  #seedMethod = "";
  /** drdrill filled the data directory: it empties it again at the end, leaving the host as it was. */
  #seededByUs = false;
  /** The old trees restores renamed aside (beside the data directory): removed at the end. */
  readonly #displaced: string[] = [];
  /** sandbox: clone: the clone the drill runs on, and production, only read. */
  readonly #sandbox: CloneSandbox | null;

  constructor(
    readonly host: RemoteHost,
    readonly settings: SshSettings,
    private readonly opts: TargetOptions,
    name = "ssh",
  ) {
    this.name = name;
    this.#sandbox = settings.sandbox === "clone" ? new CloneSandbox(host, settings, opts.runName, opts.journal) : null;
    const dataDir = this.#sandbox?.clone ?? settings.dataDir;
    this.paths = { data: dataDir, repo: `${host.runDir}/repo`, tool: `${host.runDir}/tool` };
    // Reached from / without following a link: the path was resolved on the host (checkRealDataDir).
    const noFollow = { noFollowRoot: true };
    const label = this.#sandbox ? "sandbox clone" : "data directory";
    this.data = host.dir(dataDir, `${label} on ${host.conn.where}`, noFollow);
    this.repo = host.dir(this.paths.repo, "backup destination");
    this.scratch = host.dir(`${host.runDir}/scratch`, "scratch folder");
    // Restores are staged beside the data directory: in the sandbox's folder, beside the clone.
    this.#parent =
      this.#sandbox?.dir() ?? host.dir(posix.dirname(settings.dataDir), "data directory's parent", noFollow);
    this.#base = posix.basename(settings.dataDir);
  }

  get exec() {
    return this.host.exec;
  }

  get manifestExcludes(): string[] {
    return this.#services.manifestExcludes;
  }

  /** Decides what the services are (auto: the snap when MicroStack is installed, else drdrill's writer). */
  async chooseServices(services?: RemoteServices): Promise<void> {
    if (services) return void (this.#services = services);
    let kind = this.settings.services;
    // A sandbox never touches the host's own services: drdrill's writer runs in the clone.
    if (kind === "auto" && this.#sandbox) kind = "load-writer";
    if (kind === "auto") {
      const snap = await this.host.conn.run("sh", [
        "-c",
        "command -v snap >/dev/null && snap list microstack >/dev/null 2>&1",
      ]);
      kind = snap.exitCode === 0 ? "snap" : "load-writer";
    }
    if (kind === "lab")
      throw new EnvironmentError(
        "services: lab is the vm target's (drdrill's own image); on another host choose snap, load-writer or none",
      );
    this.#services =
      kind === "snap"
        ? snapServices(this.host, this.settings)
        : kind === "load-writer"
          ? writerServices(this.host, this.data)
          : noServices();
  }

  async seed(dataset: DatasetSpec, onProgress?: (bytes: number) => void): Promise<SeedResult> {
    if (this.#sandbox) {
      const r = await this.#sandbox.make();
      this.#seedMethod = r.method;
      return r;
    }
    // A host that has never held the data directory: its parent is made for the seeding (never the data).
    if (this.settings.seed !== "existing")
      await this.host.sh('mkdir -p -- "$1"', [this.#parent.path], `making ${this.#parent.path}`);
    const st = (await this.#parent.stat([this.#base]))[this.#base];
    if (st && "refused" in st) throw new EnvironmentError(`${this.settings.dataDir}: ${st.refused}`);
    if (st && st.type !== "dir")
      throw new EnvironmentError(`${this.settings.dataDir} on ${this.host.conn.where} is a ${st.type}, not a folder`);
    const empty = !st || (await this.data.size()).files === 0;
    const mode = this.settings.seed === "auto" ? (empty ? "generate" : "existing") : this.settings.seed;
    if (mode === "existing") {
      if (!st)
        throw new EnvironmentError(
          `${this.settings.dataDir} does not exist on ${this.host.conn.where} (seed: existing)`,
        );
      const size = await this.data.size();
      this.#seedMethod = "the host's own data (seed: existing)";
      return { bytes: size.bytes, files: size.files, method: this.#seedMethod };
    }
    // Never fill a data directory that holds data: only an empty or missing one is seeded.
    if (!empty)
      throw new EnvironmentError(
        `${this.settings.dataDir} on ${this.host.conn.where} is not empty; drdrill seeds only an empty data ` +
          `directory (or set seed: existing to drill what is there)`,
      );
    let from = dataset.pristine?.dir ?? dataset.copyFrom;
    let bytes = dataset.pristine?.bytes;
    let files = dataset.pristine?.files;
    if (!from) {
      from = join(this.opts.workDir, "seed");
      const g = await generateDataset(from, dataset.sizeBytes, dataset.seed, onProgress);
      bytes = g.bytes;
      files = g.files;
    }
    this.#seededByUs = true;
    await streamTree(this.host.conn, from, this.settings.dataDir);
    const size = bytes !== undefined && files !== undefined ? { bytes, files } : await this.data.size();
    this.#seedMethod =
      `${dataset.copyFrom ? `a copy of ${dataset.copyFrom}` : "generated on this machine"}, streamed with tar ` +
      `over SSH`;
    return { bytes: size.bytes, files: size.files, method: this.#seedMethod };
  }

  quiesce(): Promise<void> {
    return this.#services.quiesce();
  }
  resume(): Promise<void> {
    return this.#services.resume();
  }
  servicesRunning(): boolean {
    return this.#services.running();
  }
  health(): Promise<HealthResult> {
    return this.#services.health();
  }
  loadSurvivor(): Promise<LoadSurvivor> {
    return this.#services.loadSurvivor();
  }
  loadNewest(): Promise<LoadSurvivor> {
    return this.#services.loadNewest();
  }

  #stagingName(id: number): string {
    return `.${this.#base}.drdrill-restore-${this.opts.runName}-${id}`;
  }

  async staging(on?: SmallFilesystem): Promise<Staging> {
    const id = ++this.#staging;
    if (on) {
      const dir = `${on.path}/staging-${id}`;
      await this.host.sh('mkdir -m 700 -- "$1"', [dir], "making the restore folder");
      return { id, path: `${dir}/${this.#base}`, dir: this.host.dir(dir, "restore staging"), name: this.#base };
    }
    const name = this.#stagingName(id);
    await this.#parent.mkdir(name, { mode: 0o700 });
    return {
      id,
      path: `${this.#parent.path}/${name}/${this.#base}`,
      dir: this.#parent.sub(name, "restore staging"),
      name: this.#base,
    };
  }

  async replaceData(staging: Staging): Promise<void> {
    const name = this.#stagingName(staging.id);
    if (!staging.dir.path.endsWith(`/${name}`)) {
      // Restored onto another file system (disk-full's tmpfs): copied beside the data first.
      await this.#parent.mkdir(name, { mode: 0o700 });
      await this.host.sh(
        'cp -a -T -- "$1" "$2"',
        [staging.path, `${this.#parent.path}/${name}/${this.#base}`],
        "copying the restored tree back",
      );
    }
    const r = await this.#parent.replace(`${name}/${this.#base}`, this.#base);
    warnLeftAlone(this.opts.journal, placing(this.data.where), r.refused, r.refusedCount);
    if (r.mode === "rename" && r.displaced) this.#displaced.push(r.displaced);
    await this.#parent.delete([name]);
  }

  async putToolFile(name: string, content: string | Buffer, mode: number): Promise<string> {
    const path = `${this.paths.tool}/${name}`;
    await this.host.conn.put(path, content, mode);
    return path;
  }

  async smallFilesystem(bytes: number): Promise<SmallFilesystem> {
    const mnt = `${this.host.runDir}/small-fs-${++this.#mounts}`;
    await this.host.sh(
      'mkdir -p -- "$1" && mount -t tmpfs -o "size=$2,mode=0755" drdrill-disk-full "$1"',
      [mnt, String(Math.ceil(bytes / 4096) * 4096)],
      "mounting a size-limited tmpfs (disk-full)",
    );
    const host = this.host;
    let mounted = true;
    return {
      path: mnt,
      async usage() {
        const out = await host.sh('stat -f -c "%a %S %b" -- "$1"', [mnt]);
        const [avail, bsize, blocks] = out.trim().split(/\s+/).map(Number);
        return { freeBytes: avail! * bsize!, totalBytes: blocks! * bsize! };
      },
      async dispose() {
        if (!mounted) return;
        mounted = false;
        await host.sh('umount -l -- "$1"; rmdir -- "$1" 2>/dev/null; true', [mnt]).catch(() => {});
      },
    };
  }

  describe(): Record<string, string> {
    return {
      kind: this.name,
      host: this.host.conn.where,
      sudo: this.host.conn.elevated ? "yes (sudo -n)" : "no",
      dataDir: this.settings.dataDir,
      ...(this.#sandbox
        ? { sandbox: `clone in ${this.#sandbox.folder} (production ${this.settings.dataDir} only read)` }
        : {}),
      services: `${this.#services.kind}: ${this.#services.note}`,
      runFolder: this.host.runDir,
      ...(this.#seedMethod ? { data: this.#seedMethod } : {}),
    };
  }

  async stop(): Promise<void> {
    await this.#services.stop().catch(() => {});
    if (this.#seededByUs && !this.opts.keep) await this.data.delete(["."]).catch(() => {});
    // Restores staged beside the data that a failed drill left behind, and the old trees swapped out.
    for (let id = 1; id <= this.#staging; id++) await this.#parent.delete([this.#stagingName(id)]).catch(() => {});
    if (!this.opts.keep && this.#displaced.length > 0) await this.#parent.delete(this.#displaced).catch(() => {});
    if (this.#sandbox) await this.#closeSandbox(this.#sandbox);
    const left = await this.host.close({ keep: this.opts.keep === true });
    warnLeftAlone(this.opts.journal, `removing the run's folder ${this.host.runDir} on ${this.host.conn.where}`, left);
  }

  /** The clone removed (kept with --keep), then production digested again: the proof it was untouched. */
  async #closeSandbox(sandbox: CloneSandbox): Promise<void> {
    const where = `removing the sandbox ${sandbox.folder} on ${this.host.conn.where}`;
    if (this.opts.keep) sandbox.keep();
    else
      await sandbox.remove().then(
        (left) => warnLeftAlone(this.opts.journal, where, left),
        (e: Error) => this.opts.journal.emit("warning", { text: `${where} failed: ${e.message}` }),
      );
    await sandbox.check(this.opts.signal?.aborted ? "interrupted: production was not read again" : undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** The settings, with the host from `--target ssh://user@host:port` when given. */
export function resolveSshSettings(raw: Record<string, unknown> | undefined, url?: string): SshSettings {
  const s = sshSettings.parse(raw ?? {});
  if (url) {
    const u = parseSshUrl(url);
    return { ...s, host: u.host, ...(u.user ? { user: u.user } : {}), ...(u.port ? { port: u.port } : {}) };
  }
  return s;
}

export async function startSsh(opts: TargetOptions, s: SshSettings, name = "ssh"): Promise<StartedSshTarget> {
  if (!s.host)
    throw new EnvironmentError(
      "the ssh target needs a host: --target ssh://user@host[:port], or targetSettings.ssh.host",
    );
  const controlDir = join(opts.workDir, "ssh");
  await mkdir(controlDir, { recursive: true, mode: 0o700 });
  const host = await connectHost(
    {
      host: s.host,
      ...(s.user ? { user: s.user } : {}),
      ...(s.port ? { port: s.port } : {}),
      ...(s.identityFile ? { identityFile: s.identityFile } : {}),
      ...(s.knownHostsFile ? { knownHostsFile: s.knownHostsFile } : {}),
      hostKeyCheck: s.hostKey,
      sudo: s.sudo ?? true,
      controlDir,
    },
    { workDir: s.workDir, runName: opts.runName, logDir: opts.logDir, secrets: opts.secrets },
  );
  try {
    await checkRealDataDir(host, s);
  } catch (e) {
    await host.close();
    throw e;
  }
  return new StartedSshTarget(host, s, opts, name);
}

export const sshTarget: Target = {
  name: "ssh",
  description:
    "An existing host reached with the system's OpenSSH client (a real MicroStack node: snap stop|start " +
    "microstack, $SNAP_COMMON).",
  settings: sshSettings as never,
  provides: [smallFilesystem],
  checkUrl(url) {
    try {
      parseSshUrl(url);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  },
  async start(opts: TargetOptions): Promise<StartedTarget> {
    const t = await startSsh(opts, resolveSshSettings(opts.settings, opts.url));
    try {
      await t.chooseServices();
    } catch (e) {
      await t.stop();
      throw e;
    }
    return t;
  },
};

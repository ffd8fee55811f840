// A secondary site, "site B", where backups go: a container of drdrill's sshd image that drdrill
// stands up for the run (with a packet filter in its own network namespace for network faults), or
// an existing host named over SSH. Two ways in: the target's key (what the tools use, and all an
// attacker on the target would hold: restricted to appending when the site is append-only), and
// drdrill's own admin key (measuring, faults on the repository, cleanup) on a port of its own.
import { mkdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConfinedDir } from "../agent/confined-dir.ts";
import { docker } from "../images/docker.ts";
import { EnvironmentError } from "../model/errors.ts";
import { SiteFirewall } from "../net/firewall.ts";
import { runClientKey, writeKnownHosts } from "../images/sshd/client-key.ts";
import { buildSshdImage } from "../images/sshd/build.ts";
import { startSshdContainer, type SshdHost } from "../images/sshd/container.ts";
import { connectHost, type RemoteHost } from "../ssh/remote-host.ts";
import type { AbilitySet } from "../rules/ability.ts";
import type { SecretStore } from "../util/secrets.ts";
import type { SiteSettings } from "./site-settings.ts";

const STORE_SCRIPT = fileURLToPath(new URL("./drdrill-store.sh", import.meta.url));
export const ADMIN_PORT = 2222;

/** How the target's tools reach the site (paths of the key files as the target sees them). */
export interface SiteEndpoint {
  user: string;
  host: string;
  port: number;
  /** The run's repository on the site. */
  path: string;
  identityFile: string;
  knownHostsFile: string;
  /** `ssh -i KEY -o ...`: for the tools that take a command to reach the site (restic, borg, tar). */
  sshCommand: string;
  appendOnly: boolean;
}

/** What the target must hold to reach the site: a private key and the site's pinned host key. */
export interface SiteCredentials {
  privateKey: Buffer;
  knownHosts: string;
}

export interface StartedSite {
  readonly kind: "container" | "host";
  /** What its store provides to plug-ins beyond every site (what the store's definition `provides`). */
  readonly abilities?: AbilitySet;
  readonly appendOnly: boolean;
  /** The run's repository on the site, confined (repoBytes, archive faults, attacker effects). */
  readonly repo: ConfinedDir;
  readonly repoPath: string;
  readonly firewall: SiteFirewall | null;
  readonly address: { host: string; port: number; user: string };
  /** The site's container, when drdrill stood it up. */
  readonly containerId?: string;
  /**
   * Where a folder of the site (a path under its `path`) is on this machine, when the site's disk is
   * a folder of this machine (`sharedDisk`): a standby node at site B mounts it as its data directory.
   */
  hostPathOf?(sitePath: string): string;
  /** drdrill's own way in (measuring, faults, services started at the site after a failover). */
  readonly admin: RemoteHost;
  credentials(): Promise<SiteCredentials>;
  /** Append-only for a tool without a server of its own: what arrives in the repository becomes write-once. */
  sealArrivals(): Promise<void>;
  /** The endpoint for tools, given where the target put the key and known_hosts files. */
  endpoint(files: { identityFile: string; knownHostsFile: string }): SiteEndpoint;
  /** Bytes the site's interface received and sent so far (null for a host drdrill does not own). */
  linkBytes(): Promise<{ rx: number; tx: number } | null>;
  describe(): Record<string, string>;
  stop(opts?: { keep?: boolean }): Promise<void>;
}

export function sshCommandFor(identityFile: string, knownHostsFile: string, port: number): string {
  // Short keep-alives: a cut link ends a tool's connection within ~15 s instead of hanging on.
  return (
    `ssh -i ${identityFile} -o UserKnownHostsFile=${knownHostsFile} -o StrictHostKeyChecking=yes -o ` +
    `BatchMode=yes -o IdentitiesOnly=yes -o ServerAliveInterval=5 -o ServerAliveCountMax=3 -p ${port}`
  );
}

export interface SiteOptions {
  runDir: string;
  runName: string;
  logDir: string;
  secrets: SecretStore;
  /** The site's folder is a folder of this machine (`runDir/disk`), so a standby node at site B can mount it too. */
  sharedDisk?: boolean;
}

export async function startSite(settings: SiteSettings, opts: SiteOptions): Promise<StartedSite> {
  return settings.host ? existingSite(settings, opts) : containerSite(settings, opts);
}

async function containerSite(settings: SiteSettings, opts: SiteOptions): Promise<StartedSite> {
  // The site's image is built here from Debian's packages on first use (about 1.5 min), then cached.
  await buildSshdImage();
  const disk = opts.sharedDisk ? join(opts.runDir, "disk") : null;
  if (disk) await mkdir(disk, { recursive: true });
  const sshd = await startSshdContainer({
    runDir: join(opts.runDir, "site-admin"),
    user: "root",
    role: "site",
    ...(disk ? { extraMounts: [{ source: disk, target: settings.path }] } : {}),
  });
  let admin: RemoteHost | null = null;
  try {
    // drdrill's way in: root on the admin port, pinned with the same host key.
    const known = (await readFile(sshd.knownHostsFile, "utf8"))
      .trim()
      .split("\n")
      .map((l) => l.split(" ").slice(1).join(" "));
    const adminKnown = join(opts.runDir, "site-admin", "admin.known_hosts");
    await writeKnownHosts(adminKnown, sshd.host, ADMIN_PORT, known);
    admin = await connectHost(
      {
        host: sshd.host,
        port: ADMIN_PORT,
        user: "root",
        identityFile: sshd.identityFile,
        knownHostsFile: adminKnown,
        hostKeyCheck: "strict",
        controlDir: join(opts.runDir, "site-admin", "ctl"),
      },
      { workDir: "/var/tmp/drdrill-site", runName: opts.runName, logDir: opts.logDir, secrets: opts.secrets },
    );
    // The run's folder on the site; the tools make the repository in it (borg and restic insist).
    const runRoot = `${settings.path}/${opts.runName}`;
    const repoPath = `${runRoot}/repo`;
    // The target's key: what the tools use. Append-only: a forced command allows appending only.
    const targetKey = await runClientKey(join(opts.runDir, "site-target-key"));
    const restriction = settings.appendOnly
      ? `command="/usr/local/sbin/drdrill-site-gate ${settings.path}/${opts.runName}",restrict `
      : "";
    await admin.sh(
      'install -d -o drill -g drill -m 0700 -- "$1" && printf "%s\\n" "$2" > /home/drill/.ssh/authorized_keys ' +
        "&& chown drill:drill /home/drill/.ssh/authorized_keys && chmod 0600 /home/drill/.ssh/authorized_keys",
      [runRoot, `${restriction}${targetKey.publicKey}`],
      "setting up the site's account",
    );
    await admin.conn.put(`${runRoot}/.drdrill-store`, await readFile(STORE_SCRIPT), 0o644);
    await admin.sh('chown drill:drill -- "$1/.drdrill-store"', [runRoot]);
    const pid = Number((await docker(["inspect", "-f", "{{.State.Pid}}", sshd.containerId])).stdout.trim());
    const firewall = new SiteFirewall(pid, `drdrill_${opts.runName.replace(/\W/g, "_").slice(-20)}`, ADMIN_PORT);
    const knownHosts = (await readFile(sshd.knownHostsFile, "utf8")).trim();
    return siteFrom({
      kind: "container",
      admin,
      sshd,
      settings,
      ...(disk ? { hostPathOf: (sitePath: string) => join(disk, relative(settings.path, sitePath)) } : {}),
      repoPath,
      firewall,
      address: { host: sshd.host, port: 22, user: "drill" },
      credentials: async () => ({ privateKey: await readFile(targetKey.identityFile), knownHosts: `${knownHosts}\n` }),
    });
  } catch (e) {
    await admin?.close().catch(() => {});
    await sshd.remove();
    throw e;
  }
}

async function existingSite(settings: SiteSettings, opts: SiteOptions): Promise<StartedSite> {
  if (!settings.knownHostsFile)
    throw new EnvironmentError("an existing site host needs knownHostsFile too: its host key is checked strictly");
  const admin = await connectHost(
    {
      host: settings.host!,
      ...(settings.user ? { user: settings.user } : {}),
      ...(settings.port ? { port: settings.port } : {}),
      identityFile: settings.identityFile!,
      knownHostsFile: settings.knownHostsFile,
      hostKeyCheck: "strict",
      controlDir: join(opts.runDir, "site-admin", "ctl"),
    },
    { workDir: `${settings.path}/.drdrill-work`, runName: opts.runName, logDir: opts.logDir, secrets: opts.secrets },
  );
  const runRoot = `${settings.path}/${opts.runName}`;
  const repoPath = `${runRoot}/repo`;
  await admin.sh('mkdir -p -m 0700 -- "$1"', [runRoot], "making the run's folder");
  await admin.conn.put(`${runRoot}/.drdrill-store`, await readFile(STORE_SCRIPT), 0o644);
  return siteFrom({
    kind: "host",
    admin,
    sshd: null,
    settings,
    repoPath,
    firewall: null,
    address: { host: admin.conn.hostname, port: admin.conn.port, user: admin.conn.user },
    credentials: async () => ({
      privateKey: await readFile(settings.identityFile!),
      knownHosts: await readFile(settings.knownHostsFile!, "utf8"),
    }),
  });
}

function siteFrom(p: {
  kind: "container" | "host";
  admin: RemoteHost;
  sshd: SshdHost | null;
  settings: SiteSettings;
  repoPath: string;
  firewall: SiteFirewall | null;
  address: { host: string; port: number; user: string };
  credentials: () => Promise<SiteCredentials>;
  hostPathOf?: (sitePath: string) => string;
}): StartedSite {
  const repo = p.admin.dir(p.repoPath, `repository on site B (${p.address.host})`);
  return {
    kind: p.kind,
    appendOnly: p.settings.appendOnly,
    repo,
    repoPath: p.repoPath,
    firewall: p.firewall,
    address: p.address,
    admin: p.admin,
    ...(p.sshd ? { containerId: p.sshd.containerId } : {}),
    ...(p.hostPathOf ? { hostPathOf: p.hostPathOf } : {}),
    credentials: p.credentials,
    async sealArrivals() {
      if (!p.settings.appendOnly || p.kind !== "container") return;
      await p.admin.sh(
        'nohup setsid /usr/local/sbin/drdrill-site-seal "$1" drill > /dev/null 2>&1 < /dev/null &',
        [p.repoPath],
        "starting the site's sealer",
      );
    },
    endpoint: (files) => ({
      ...p.address,
      path: p.repoPath,
      ...files,
      sshCommand: sshCommandFor(files.identityFile, files.knownHostsFile, p.address.port),
      appendOnly: p.settings.appendOnly,
    }),
    async linkBytes() {
      if (p.kind !== "container") return null;
      const r = await p.admin.conn.run("cat", [
        "/sys/class/net/eth0/statistics/rx_bytes",
        "/sys/class/net/eth0/statistics/tx_bytes",
      ]);
      const [rx, tx] = r.stdout.trim().split(/\s+/).map(Number);
      return Number.isFinite(rx) && Number.isFinite(tx) ? { rx: rx!, tx: tx! } : null;
    },
    describe: () => ({
      site:
        p.kind === "container"
          ? `container ${p.sshd!.containerName} (${p.address.host}), drdrill's sshd image`
          : `${p.address.user}@${p.address.host}:${p.address.port}`,
      siteRepository: `${p.address.user}@${p.address.host}:${p.repoPath}`,
      siteAppendOnly: p.settings.appendOnly
        ? "yes: the target's key can add backups, never delete them (borg serve --append-only; otherwise files " +
          "become root's, in sticky folders, within half a second of arriving)"
        : "no",
    }),
    async stop(o = {}) {
      await p.firewall?.clear().catch(() => {});
      if (p.kind === "host" && !o.keep)
        await p.admin.sh('rm -rf -- "$1"', [p.repoPath.replace(/\/repo$/, "")]).catch(() => {});
      await p.admin.close().catch(() => {});
      await p.sshd?.remove();
    },
  };
}

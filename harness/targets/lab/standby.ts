// The lab's standby node at site B: a second MicroStack node started in the site's network, its
// $SNAP_COMMON the site's copy of the data (the site's disk, a folder of this machine), started
// with nothing initialised. A replicator fills it (files by lsyncd, the database by MariaDB's own
// replication); at failover its services start there and are checked like the primary's.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { docker } from "../../images/docker.ts";
import { SNAP_COMMON } from "../../images/lab/names.ts";
import { EnvironmentError } from "../../model/errors.ts";
import type { StartedSite } from "../../site/site.ts";
import type { HealthResult, LoadSurvivor, Standby, TargetOptions } from "../target.ts";
import { DockerExecutor } from "./docker-executor.ts";
import { LoadWriter } from "./load-writer.ts";
import { RUN_MOUNT, startNode } from "./node.ts";
import { runHealth, type SeedResult } from "./openstack-scripts.ts";

const HEALTH_WAIT_S = 120;

export interface StandbyOptions {
  /** The run's folder on this machine (mounted on /drdrill, as on the primary: the scripts, the tool folder). */
  root: string;
  site: StartedSite;
  /** The primary's container: the standby's database replicates from its address. */
  primaryContainer: string;
  opts: TargetOptions;
  /** What health checks expect once the services run there: the seeded cloud and the pre-disaster token. */
  expected(): { seeded: SeedResult | null; oldToken: string | null };
  note(text: string): Promise<void>;
}

export async function startLabStandby(o: StandbyOptions): Promise<Standby> {
  const hostDir = o.site.hostPathOf?.(o.site.repoPath);
  if (!hostDir || !o.site.containerId)
    throw new EnvironmentError(
      "a standby node needs the site drdrill stands up (destination: site, without host:): it runs in that " +
        "site's network, on its disk",
    );
  // The replica's folder on the site's disk, owned by the account the file mirror writes as.
  await o.site.admin.sh(
    'install -d -o drill -g drill -m 0700 -- "$1"',
    [o.site.repoPath],
    "making the standby's data folder",
  );
  const inspect = await docker([
    "inspect",
    "-f",
    "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
    o.primaryContainer,
  ]);
  const primaryHost = inspect.stdout.trim().split(/\s+/)[0];
  if (!primaryHost)
    throw new EnvironmentError(`the primary lab container ${o.primaryContainer} has no address on a docker network`);
  await mkdir(join(o.root, "ctl-standby"), { recursive: true });
  const node = await startNode({
    runDir: o.root,
    dataDir: hostDir,
    fresh: false,
    replication: "standby",
    networkMode: `container:${o.site.containerId}`,
  });
  const exec = new DockerExecutor(node.exec, o.opts.logDir, o.opts.secrets, {
    host: join(o.root, "ctl-standby"),
    exec: join(RUN_MOUNT, "ctl-standby"),
  });
  // Nothing below may throw before the caller holds the node (and so removes it): the note is best-effort.
  await o
    .note(
      `standby node ${node.container.name} at site B (in the site's network, ${SNAP_COMMON} on the site's disk ` +
        `${o.site.repoPath}); the primary is at ${primaryHost}`,
    )
    .catch(() => {});
  let startError: string | null = null;
  let resumed = false;
  return {
    exec,
    primaryHost,
    dataDir: SNAP_COMMON,
    loadNewest: (): Promise<LoadSurvivor> => LoadWriter.newest(exec),
    async resume() {
      const r = await exec.run({
        label: "standby-snap-start",
        command: "snap",
        args: ["start", "microstack"],
        timeoutMs: 300_000,
      });
      resumed = true;
      startError = r.failed
        ? `snap start microstack on the standby failed: ` +
          `${r.stderr.trim().split("\n").filter(Boolean).slice(-2).join(" / ") || `exit ${r.exitCode}`}`
        : null;
      await o.note(`standby: snap start microstack -> ${startError ?? "started"}`);
    },
    async health(): Promise<HealthResult> {
      if (!resumed) return { ok: false, detail: "the standby's services were never started" };
      if (startError) return { ok: false, detail: startError };
      const { seeded, oldToken } = o.expected();
      const a = await runHealth(exec, join(RUN_MOUNT, "bin"), {
        expect: seeded ? { ...seeded, loadTable: true } : null,
        oldToken,
        waitS: HEALTH_WAIT_S,
        download: true,
      });
      return { ok: a.ok, detail: a.detail };
    },
    describe: () => ({
      standby: `lab container ${node.container.name} in site B's network`,
      standbyData: `${SNAP_COMMON} = ${o.site.repoPath} on site B`,
      primaryAddress: primaryHost,
    }),
    async stop() {
      await node.container.remove();
    },
  };
}

// Replication instead of backup: lsyncd (Debian's package: continuous rsync over SSH driven by
// inotify) mirrors the data directory to the secondary site, deletes included, as lsyncd ships.
// Its "full backup" starts replicating (an initial rsync, then the daemon); later backups are no-ops
// (it never stops); its "restore" is a failover, which the restore step does (see steps/replication.ts);
// the mirror itself is lsyncd-mirror.ts.
import { z } from "zod";
import { secondarySite } from "../rules/site-abilities.ts";
import { standbyNode } from "../rules/target-abilities.ts";
import { lsyncdMirror } from "./lsyncd-mirror.ts";
import { notRun, probeVersion } from "./run-tool.ts";
import { defineTool, type ToolRun } from "./tool.ts";

const settings = z
  .object({
    delay: z
      .number()
      .min(0)
      .max(60)
      .default(1)
      .describe("Seconds lsyncd gathers events before it syncs (lsyncd's own default is 15)."),
    delete: z.boolean().default(true).describe("Propagate deletes to the replica (lsyncd's default)."),
  })
  .strict();

export default defineTool({
  name: "lsyncd",
  description:
    "Replication: lsyncd (continuous rsync over SSH, inotify) mirrors the data to site B, deletes included; " +
    "restore = fail over to site B.",
  binaries: ["lsyncd", "rsync", "ssh"],
  install: "apt-get install lsyncd rsync openssh-client",
  settings,
  fidelity: { mtimePrecisionMs: 0, symlinkMtime: true, hardlinks: true, xattrs: true },
  capabilities: {
    incremental: true,
    pointInTime: false,
    selfContainedBackups: true,
    encryption: () => ({ encrypted: false }),
    dataFiles: null,
    staleLock: "no lock: a replica is a plain folder",
    site: { how: "lsyncd: rsync over ssh, driven by inotify", appendOnly: "write-once" },
    replication: { failover: "stop lsyncd, then the replica at site B becomes the data: the services start there" },
  },
  needs: [secondarySite],
  // A target that fails over to a node running its services (the lab) gets nothing from a plain folder.
  validate: (_s, ctx) =>
    ctx.provides(standbyNode)
      ? [
          {
            message:
              `lsyncd mirrors files to a plain folder at site B, but the ${ctx.target.name} target fails over ` +
              "to a standby node that runs its services: use a replicator that keeps one (mariadb-replication)",
          },
        ]
      : [],
  version: (exec) => probeVersion(exec, "lsyncd", ["--version"], /Version:\s*([\d.]+)/),
  open(s, ctx) {
    const mirror = lsyncdMirror(s, ctx);
    return {
      async init() {
        if (!ctx.site) return notRun("lsyncd-init", "lsyncd replicates to a secondary site: set destination: site");
        return null;
      },
      async backup(_kind, sourceDir): Promise<ToolRun> {
        if (!ctx.site) return notRun("lsyncd-start", "lsyncd replicates to a secondary site: set destination: site");
        // Replication is continuous: after the first sync there is nothing to take; say whether the daemon still runs.
        return mirror.running ? mirror.alive() : mirror.start(sourceDir);
      },
      async restore() {
        return notRun("lsyncd-restore", "a replica is not restored: the restore step fails over to site B");
      },
      check: () => mirror.status(),
      list: () => mirror.status(),
      stopReplication: () => mirror.stop(),
      async close() {
        await mirror.stop();
      },
    };
  },
});

// Replication instead of backup: lsyncd (Debian's package: continuous rsync over SSH driven by
// inotify) mirrors the data directory to the secondary site, deletes included, as lsyncd ships.
// Its "full backup" starts replicating (an initial rsync, then the daemon); later backups are no-ops
// (it never stops); its "restore" is a failover, which the restore step does (see steps/failover.ts).
import { z } from "zod";
import type { CommandSpec } from "../exec/types.ts";
import { notRun, probeVersion, runTool } from "./run-tool.ts";
import { defineTool, type ToolContext, type ToolRun } from "./tool.ts";

const settings = z
  .object({
    delay: z.number().min(0).max(60).default(1).describe("Seconds lsyncd gathers events before it syncs (lsyncd's own default is 15)."),
    delete: z.boolean().default(true).describe("Propagate deletes to the replica (lsyncd's default)."),
  })
  .strict();

type Settings = z.infer<typeof settings>;

const lua = (v: string) => JSON.stringify(v);

/** The daemon's configuration: the data directory to the site's folder, over the system's ssh. */
export function lsyncdConfig(s: Settings, ctx: ToolContext, source: string): string {
  const e = ctx.site!;
  return [
    "settings { nodaemon = false, insist = true, statusInterval = 1,",
    `  logfile = ${lua(`${ctx.workDir}/lsyncd.log`)}, statusFile = ${lua(`${ctx.workDir}/lsyncd.status`)}, pidfile = ${lua(`${ctx.workDir}/lsyncd.pid`)} }`,
    "sync {",
    "  default.rsyncssh,",
    `  source = ${lua(`${source.replace(/\/+$/, "")}/`)},`,
    `  host = ${lua(`${e.user}@${e.host}`)},`,
    `  targetdir = ${lua(`${e.path}/`)},`,
    `  delay = ${s.delay},`,
    `  delete = ${s.delete ? "true" : "false"},`,
    '  rsync = { archive = true, hard_links = true, acls = true, xattrs = true, _extra = { "--numeric-ids" } },',
    `  ssh = { port = ${e.port}, identityFile = ${lua(e.identityFile)}, options = { UserKnownHostsFile = ${lua(e.knownHostsFile)}, StrictHostKeyChecking = "yes", BatchMode = "yes", ServerAliveInterval = "5", ServerAliveCountMax = "3" } },`,
    "}",
    "",
  ].join("\n");
}

function rsyncSpec(ctx: ToolContext, source: string, s: Settings): Omit<CommandSpec, "label"> {
  const e = ctx.site!;
  const ssh = `ssh -i ${e.identityFile} -o UserKnownHostsFile=${e.knownHostsFile} -o StrictHostKeyChecking=yes -o BatchMode=yes -p ${e.port}`;
  return { command: "rsync", args: ["-aHAX", "--numeric-ids", ...(s.delete ? ["--delete"] : []), "--stats", "-e", ssh, `${source.replace(/\/+$/, "")}/`, `${e.user}@${e.host}:${e.path}/`] };
}

/** rsync --stats: bytes sent, in drdrill's names. */
export function parseRsyncStats(stdout: string): Record<string, number> | undefined {
  const sent = /Total bytes sent: ([\d,]+)/.exec(stdout)?.[1];
  const size = /Total file size: ([\d,]+)/.exec(stdout)?.[1];
  const out: Record<string, number> = {};
  if (sent) out.sentBytes = Number(sent.replace(/,/g, ""));
  if (size) out.sourceBytes = Number(size.replace(/,/g, ""));
  return Object.keys(out).length > 0 ? out : undefined;
}

export default defineTool({
  name: "lsyncd",
  description: "Replication: lsyncd (continuous rsync over SSH, inotify) mirrors the data to site B, deletes included; restore = fail over to site B.",
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
  version: (exec) => probeVersion(exec, "lsyncd", ["--version"], /Version:\s*([\d.]+)/),
  open(s, ctx) {
    let replicating = false;
    const pidFile = `${ctx.workDir}/lsyncd.pid`;
    const stop = (): Promise<ToolRun> => {
      replicating = false;
      // The pid file is removed once stopped, so a second stop (failover, then the end of the run) does nothing.
      return runTool(ctx, { label: "lsyncd-stop", command: "sh", args: ["-c", 'p=$(cat "$1" 2>/dev/null) || exit 0; kill "$p" 2>/dev/null; for i in $(seq 50); do kill -0 "$p" 2>/dev/null || { rm -f "$1"; exit 0; }; sleep 0.1; done; kill -9 "$p" 2>/dev/null; rm -f "$1"; true', "lsyncd-stop", pidFile] });
    };
    return {
      async init() {
        if (!ctx.site) return notRun("lsyncd-init", "lsyncd replicates to a secondary site: set destination: site");
        return null;
      },
      async backup(_kind, sourceDir): Promise<ToolRun> {
        if (!ctx.site) return notRun("lsyncd-start", "lsyncd replicates to a secondary site: set destination: site");
        if (replicating) {
          // Replication is continuous: there is nothing to take; say whether the daemon still runs.
          const alive = await runTool(ctx, { label: "lsyncd-running", command: "sh", args: ["-c", 'kill -0 "$(cat "$1")" 2>/dev/null && echo replicating', "alive", pidFile] });
          return alive.stdout.includes("replicating") ? alive : { ...alive, failed: true, exitCode: 1, message: "lsyncd is not running: replication stopped" };
        }
        // The first sync by hand (so its time and bytes are measured), then the daemon keeps the replica current.
        const first = await runTool(ctx, { label: "lsyncd-initial-sync", ...rsyncSpec(ctx, sourceDir, s) }, (o) => parseRsyncStats(o));
        if (first.failed) return first;
        const conf = `${ctx.workDir}/lsyncd.conf.lua`;
        const start = await runTool(ctx, {
          label: "lsyncd-start",
          command: "sh",
          args: ["-c", 'printf "%s" "$1" > "$2" && lsyncd "$2" && for i in $(seq 50); do [ -s "$3" ] && exit 0; sleep 0.1; done; echo "lsyncd did not start: $(tail -n 3 "$4" 2>/dev/null)" >&2; exit 1', "lsyncd-start", lsyncdConfig(s, ctx, sourceDir), conf, pidFile, `${ctx.workDir}/lsyncd.log`],
        });
        if (start.failed) return start;
        replicating = true;
        const pid = Number((await ctx.exec.run({ label: "lsyncd-pid", command: "cat", args: ["--", pidFile] })).stdout.trim());
        if (pid > 0) await ctx.leaseProcess?.(pid, conf, "lsyncd replicating to site B");
        return { ...first, label: "lsyncd-initial-sync" };
      },
      async restore() {
        return notRun("lsyncd-restore", "a replica is not restored: the restore step fails over to site B");
      },
      async check() {
        return runTool(ctx, { label: "lsyncd-status", command: "cat", args: ["--", `${ctx.workDir}/lsyncd.status`] });
      },
      list() {
        return runTool(ctx, { label: "lsyncd-status", command: "cat", args: ["--", `${ctx.workDir}/lsyncd.status`] });
      },
      stopReplication: stop,
      async close() {
        await stop();
      },
    };
  },
});

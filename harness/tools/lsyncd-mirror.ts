// A file mirror to the secondary site with lsyncd (continuous rsync over SSH, driven by inotify):
// the first sync by hand (so its time and bytes are measured), then the daemon keeps the replica
// current, deletes included as lsyncd ships. Used by the lsyncd tool (the whole data directory) and
// by mariadb-replication (everything but the database, which MariaDB replicates itself).
import type { CommandSpec } from "../exec/types.ts";
import { runTool } from "./run-tool.ts";
import type { ToolContext, ToolRun } from "./tool.ts";

export interface MirrorSettings {
  /** Seconds lsyncd gathers events before it syncs. */
  delay: number;
  /** Propagate deletes to the replica. */
  delete: boolean;
  /** Paths relative to the source that are not mirrored (and, at the replica, never deleted). */
  exclude?: readonly string[];
}

const lua = (v: string) => JSON.stringify(v);
/** rsync's and lsyncd's exclude pattern for a path relative to the source: that entry, anchored. */
const anchored = (rel: string) => `/${rel.replace(/^\/+|\/+$/g, "")}`;

/** The daemon's configuration: the data directory to the site's folder, over the system's ssh. */
export function lsyncdConfig(s: MirrorSettings, ctx: ToolContext, source: string): string {
  const e = ctx.site!;
  const exclude = (s.exclude ?? []).map((p) => lua(anchored(p)));
  return [
    "settings { nodaemon = false, insist = true, statusInterval = 1,",
    `  logfile = ${lua(`${ctx.workDir}/lsyncd.log`)}, statusFile = ${lua(`${ctx.workDir}/lsyncd.status`)}, ` +
      `pidfile = ${lua(`${ctx.workDir}/lsyncd.pid`)} }`,
    "sync {",
    "  default.rsyncssh,",
    `  source = ${lua(`${source.replace(/\/+$/, "")}/`)},`,
    `  host = ${lua(`${e.user}@${e.host}`)},`,
    `  targetdir = ${lua(`${e.path}/`)},`,
    `  delay = ${s.delay},`,
    `  delete = ${s.delete ? "true" : "false"},`,
    ...(exclude.length > 0 ? [`  exclude = { ${exclude.join(", ")} },`] : []),
    '  rsync = { archive = true, hard_links = true, acls = true, xattrs = true, _extra = { "--numeric-ids" } },',
    `  ssh = { port = ${e.port}, identityFile = ${lua(e.identityFile)}, options = { UserKnownHostsFile = ` +
      `${lua(e.knownHostsFile)}, StrictHostKeyChecking = "yes", BatchMode = "yes", ServerAliveInterval = "5", ` +
      `ServerAliveCountMax = "3" } },`,
    "}",
    "",
  ].join("\n");
}

export function rsyncSpec(ctx: ToolContext, source: string, s: MirrorSettings): Omit<CommandSpec, "label"> {
  const e = ctx.site!;
  const ssh =
    `ssh -i ${e.identityFile} -o UserKnownHostsFile=${e.knownHostsFile} -o StrictHostKeyChecking=yes -o ` +
    `BatchMode=yes -p ${e.port}`;
  const exclude = (s.exclude ?? []).map((p) => `--exclude=${anchored(p)}`);
  return {
    command: "rsync",
    args: [
      "-aHAX",
      "--numeric-ids",
      ...(s.delete ? ["--delete"] : []),
      ...exclude,
      "--stats",
      "-e",
      ssh,
      `${source.replace(/\/+$/, "")}/`,
      `${e.user}@${e.host}:${e.path}/`,
    ],
  };
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

export interface Mirror {
  /** The initial rsync; null when it already ran (replication is continuous after it). */
  start(sourceDir: string): Promise<ToolRun>;
  /** Whether the daemon still runs (a scheduled "backup" of a replicator). */
  alive(): Promise<ToolRun>;
  /** Stops the daemon; a second stop does nothing. */
  stop(): Promise<ToolRun>;
  status(): Promise<ToolRun>;
  readonly running: boolean;
}

export function lsyncdMirror(s: MirrorSettings, ctx: ToolContext): Mirror {
  let replicating = false;
  const pidFile = `${ctx.workDir}/lsyncd.pid`;
  return {
    get running() {
      return replicating;
    },
    async start(sourceDir) {
      const first = await runTool(ctx, { label: "lsyncd-initial-sync", ...rsyncSpec(ctx, sourceDir, s) }, (o) =>
        parseRsyncStats(o),
      );
      if (first.failed) return first;
      const conf = `${ctx.workDir}/lsyncd.conf.lua`;
      const start = await runTool(ctx, {
        label: "lsyncd-start",
        command: "sh",
        args: [
          "-c",
          'printf "%s" "$1" > "$2" && lsyncd "$2" && for i in $(seq 50); do [ -s "$3" ] && exit 0; sleep 0.1; ' +
            'done; echo "lsyncd did not start: $(tail -n 3 "$4" 2>/dev/null)" >&2; exit 1',
          "lsyncd-start",
          lsyncdConfig(s, ctx, sourceDir),
          conf,
          pidFile,
          `${ctx.workDir}/lsyncd.log`,
        ],
      });
      if (start.failed) return start;
      replicating = true;
      const pid = Number(
        (await ctx.exec.run({ label: "lsyncd-pid", command: "cat", args: ["--", pidFile] })).stdout.trim(),
      );
      if (pid > 0) await ctx.leaseProcess?.(pid, conf, "lsyncd replicating to site B");
      return first;
    },
    async alive() {
      const r = await runTool(ctx, {
        label: "lsyncd-running",
        command: "sh",
        args: ["-c", 'kill -0 "$(cat "$1")" 2>/dev/null && echo replicating', "alive", pidFile],
      });
      return r.stdout.includes("replicating")
        ? r
        : { ...r, failed: true, exitCode: 1, message: "lsyncd is not running: replication stopped" };
    },
    stop() {
      replicating = false;
      // The pid file is removed once stopped, so a second stop (failover, then the end of the run) does nothing.
      return runTool(ctx, {
        label: "lsyncd-stop",
        command: "sh",
        args: [
          "-c",
          'p=$(cat "$1" 2>/dev/null) || exit 0; kill "$p" 2>/dev/null; for i in $(seq 50); do kill -0 "$p" ' +
            '2>/dev/null || { rm -f "$1"; exit 0; }; sleep 0.1; done; kill -9 "$p" 2>/dev/null; rm -f "$1"; true',
          "lsyncd-stop",
          pidFile,
        ],
      });
    },
    status() {
      return runTool(ctx, { label: "lsyncd-status", command: "cat", args: ["--", `${ctx.workDir}/lsyncd.status`] });
    },
  };
}

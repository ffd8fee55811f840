// Replication of a MicroStack node the way an operator would set it up: MariaDB's own asynchronous
// replication (binary log, GTID) of the OpenStack databases to a standby node at site B, and lsyncd
// for the rest of $SNAP_COMMON (Glance's images, the fernet keys, the configuration). Its "full
// backup" seeds the standby (the files by rsync, the databases by a consistent dump taken at a
// binary-log position) and starts both streams; its "restore" is the failover: stop the file mirror,
// let the replica apply what it received, stop replicating, make it writable; the restore step then
// starts the services on the standby (see steps/replication.ts).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { secondarySite, standUpSite } from "../rules/site-abilities.ts";
import { standbyNode } from "../rules/target-abilities.ts";
import { lsyncdMirror } from "./lsyncd-mirror.ts";
import { notRun, probeVersion, runTool } from "./run-tool.ts";
import { defineTool, type ToolContext, type ToolRun } from "./tool.ts";

const settings = z
  .object({
    delay: z
      .number()
      .min(0)
      .max(60)
      .default(1)
      .describe("Seconds lsyncd gathers file events before it syncs them (lsyncd's own default is 15)."),
    delete: z.boolean().default(true).describe("Propagate file deletes to the standby (lsyncd's default)."),
  })
  .strict();

/** Not mirrored as files: the database (replicated by MariaDB), the node's sockets, pid files and logs. */
export const FILES_EXCLUDED = ["lib/mysql", "run", "log"] as const;
const REPL_USER = "drdrill_repl";

const sqlString = (v: string) => `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** One ToolRun for several commands: the last one's result, timed from the first's start, every command named. */
function spanning(runs: ToolRun[], label: string): ToolRun {
  const first = runs[0]!;
  const last = runs.at(-1)!;
  const stats = Object.assign({}, ...runs.map((r) => r.stats ?? {})) as Record<string, number>;
  return {
    ...last,
    label,
    command: runs.map((r) => r.command).join(" ; "),
    startedAt: first.startedAt,
    startMs: first.startMs,
    durationMs: last.endMs - first.startMs,
    ...(Object.keys(stats).length > 0 ? { stats } : {}),
  };
}

/** `SHOW SLAVE STATUS\G` as a record. */
export function parseSlaveStatus(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^\s*(\w+): ?(.*)$/gm)) out[m[1]!] = m[2]!.trim();
  return out;
}

// The failover on the standby: stop fetching, wait until the SQL thread has applied every event it
// received (the read and executed coordinates meet, or it waits with the relay log read to its end:
// a transaction cut off mid-send by the disaster never completes, and is lost), then stop
// replicating for good and take writes.
const PROMOTE = `
m() { microstack.mysql --batch -e "$1"; }
m "STOP SLAVE IO_THREAD" || exit 1
i=0
while :; do
  st=$(microstack.mysql -e 'SHOW SLAVE STATUS\\G') || exit 1
  v() { printf '%s\\n' "$st" | sed -n "s/^ *$1: *//p"; }
  [ "$(v Slave_SQL_Running)" = Yes ] || { echo "the replica's SQL thread stopped: $(v Last_SQL_Error)" >&2; exit 1; }
  [ "$(v Master_Log_File)" = "$(v Relay_Master_Log_File)" ] \\
    && [ "$(v Read_Master_Log_Pos)" = "$(v Exec_Master_Log_Pos)" ] && break
  case "$(v Slave_SQL_Running_State)" in *"read all relay log"*) [ $i -ge 5 ] && break ;; esac
  i=$((i + 1)); [ $i -ge 600 ] && { echo "the replica did not apply its relay log within 60 s" >&2; exit 1; }
  sleep 0.1
done
echo "applied: $(v Relay_Master_Log_File) $(v Exec_Master_Log_Pos); gtid $(m 'SELECT @@gtid_slave_pos' | tail -n 1)"
m "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only = 0"
`;

// Seeding the standby's database: a fresh datadir from the replicated my.cnf, MariaDB started there
// (its container starts it read-only, with a server id of its own), then a consistent dump of every
// database of the primary but the system's, taken at a binary-log position, and replication from
// that position. The client file with the account's password is removed however this ends.
const SEED_DB = `
set -o pipefail
cnf=$1 primary=$2
trap 'rm -f "$cnf"' EXIT
my=$SNAP_COMMON/etc/mysql/my.cnf
mkdir -p "$SNAP_COMMON/log/mysql" "$SNAP_COMMON/run/mysql"
[ -d "$SNAP_COMMON/lib/mysql/mysql" ] \\
  || mariadb-install-db --defaults-file="$my" --user=root --auth-root-authentication-method=socket --skip-test-db \\
    >"$SNAP_COMMON/log/mysql/install-db.log" 2>&1 \\
  || { echo "mariadb-install-db failed: $(tail -n 3 "$SNAP_COMMON/log/mysql/install-db.log")" >&2; exit 1; }
snap start microstack.mysqld || exit 1
dbs=$(mariadb --defaults-extra-file="$cnf" -h "$primary" -N -B \\
  -e "SELECT schema_name FROM information_schema.schemata \\
WHERE schema_name NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')") \\
  || { echo "the primary's database did not answer the standby" >&2; exit 1; }
{ echo "SET SESSION sql_log_bin = 0;"; mariadb-dump --defaults-extra-file="$cnf" -h "$primary" --single-transaction \\
    --master-data=1 --gtid --system=users --insert-ignore --routines --triggers --databases $dbs; } \\
  | microstack.mysql || { echo "seeding the standby's database from a dump of the primary failed" >&2; exit 1; }
echo "seeded: $(echo $dbs); gtid $(microstack.mysql -N -e 'SELECT @@gtid_slave_pos')"
`;

export default defineTool({
  name: "mariadb-replication",
  description:
    "Replication of the lab node: MariaDB's asynchronous replication of the databases to a standby node at " +
    "site B, lsyncd for the rest of $SNAP_COMMON; restore = fail over to the standby.",
  binaries: ["lsyncd", "rsync", "ssh", "mariadb-dump"],
  install: "apt-get install lsyncd rsync openssh-client mariadb-client (the lab image has them: drdrill lab build)",
  settings,
  fidelity: { mtimePrecisionMs: 0, symlinkMtime: true, hardlinks: true, xattrs: true },
  needs: [secondarySite, standbyNode, standUpSite],
  validate: (_s, ctx) =>
    ctx.scenario.mode === "hot"
      ? []
      : [
          {
            path: ["mode"],
            message:
              "mariadb-replication replicates a running database: set mode: hot " +
              "(cold stops the primary's services for every backup step)",
          },
        ],
  capabilities: {
    incremental: true,
    pointInTime: false,
    selfContainedBackups: true,
    encryption: () => ({ encrypted: false }),
    dataFiles: null,
    staleLock: "no lock: a replica is a running database and a plain folder",
    site: {
      how:
        "MariaDB replication (the standby pulls the binary log) and lsyncd (rsync over ssh) to a standby node at " +
        "site B",
      appendOnly: "write-once",
    },
    replication: {
      failover:
        "stop lsyncd; on the standby: stop fetching the binary log, apply what was received, stop replicating " +
        "and take writes; then the services start there",
      standby: "a MicroStack node at site B: its MariaDB replicates the primary's, its $SNAP_COMMON is the site's copy",
      filesExcluded: FILES_EXCLUDED,
    },
  },
  version: async (exec) =>
    `${await probeVersion(exec, "lsyncd", ["--version"], /Version:\s*([\d.]+)/)} + MariaDB ` +
    `${await probeVersion(exec, "mariadb-dump", ["--version"], /Distrib ([\d.]+)/)}`,
  open(s, ctx) {
    const mirror = lsyncdMirror({ delay: s.delay, delete: s.delete, exclude: FILES_EXCLUDED }, ctx);
    const onStandby = (): ToolContext => ({ ...ctx, exec: ctx.standby!.exec });
    const password = randomBytes(18).toString("base64url");
    ctx.addSecret?.(password);
    let started = false;
    let promoted = false;

    const replicaStatus = async (): Promise<ToolRun> => {
      const r = await runTool(onStandby(), {
        label: "mariadb-replica-status",
        command: "microstack.mysql",
        args: ["-e", "SHOW SLAVE STATUS\\G"],
      });
      if (r.failed) return r;
      const st = parseSlaveStatus(r.stdout);
      const ok = st.Slave_IO_Running === "Yes" && st.Slave_SQL_Running === "Yes";
      const lag = Number(st.Seconds_Behind_Master);
      const stats = Number.isFinite(lag) ? { secondsBehindMaster: lag } : undefined;
      const why =
        st.Last_IO_Error ||
        st.Last_SQL_Error ||
        `IO thread ${st.Slave_IO_Running ?? "?"}, SQL thread ${st.Slave_SQL_Running ?? "?"}`;
      return ok
        ? { ...r, ...(stats ? { stats } : {}) }
        : { ...r, failed: true, exitCode: 1, message: `the standby is not replicating: ${why}` };
    };

    return {
      async init() {
        if (!ctx.site)
          return notRun(
            "mariadb-replication-init",
            "mariadb-replication replicates to a secondary site: set destination: site",
          );
        if (!ctx.standby)
          return notRun(
            "mariadb-replication-init",
            "mariadb-replication needs a standby node at site B, which only the lab target starts",
          );
        return null;
      },
      async backup(_kind, sourceDir): Promise<ToolRun> {
        if (!ctx.site || !ctx.standby) return notRun("mariadb-replication-start", "no standby node at site B");
        if (started) {
          // Continuous: nothing to take; say whether both streams still run.
          const files = await mirror.alive();
          if (files.failed) return files;
          return spanning([files, await replicaStatus()], "replicating");
        }
        const runs: ToolRun[] = [];
        // 1. The files (all but the database), then lsyncd keeps them current.
        const files = await mirror.start(sourceDir);
        runs.push(files);
        if (files.failed) return files;
        // 2. An account on the primary the standby replicates with (its password only on standard input).
        const account = await runTool(ctx, {
          label: "mariadb-replication-account",
          command: "microstack.mysql",
          args: ["--batch"],
          // Not in the primary's binary log (which would keep the statement, password and all): the
          // standby gets the account with the dump's users.
          input:
            `SET SESSION sql_log_bin = 0;\nCREATE USER IF NOT EXISTS '${REPL_USER}'@'%' IDENTIFIED BY ` +
            `${sqlString(password)};\nGRANT REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR, SELECT, ` +
            `RELOAD, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER ON *.* TO '${REPL_USER}'@'%';\n`,
        });
        runs.push(account);
        if (account.failed) return spanning(runs, "mariadb-replication-start");
        // 3. The standby's database, seeded from a consistent dump and replicating from its position.
        const sb = onStandby();
        const cnf = `${ctx.workDir}/.replication-client.cnf`;
        const put = await runTool(sb, {
          label: "mariadb-replication-client-file",
          command: "sh",
          args: ["-c", 'umask 077; cat > "$1"', "put", cnf],
          input: `[client]\nuser=${REPL_USER}\npassword=${password}\n`,
        });
        runs.push(put);
        if (put.failed) return spanning(runs, "mariadb-replication-start");
        const seed = await runTool(sb, {
          label: "mariadb-replication-seed",
          command: "bash",
          args: ["-c", SEED_DB, "seed-db", cnf, ctx.standby.primaryHost],
        });
        runs.push(seed);
        if (seed.failed) return spanning(runs, "mariadb-replication-start");
        const follow = await runTool(sb, {
          label: "mariadb-replication-follow",
          command: "microstack.mysql",
          args: ["--batch"],
          input:
            `CHANGE MASTER TO MASTER_HOST=${sqlString(ctx.standby.primaryHost)}, MASTER_PORT=3306, MASTER_USER='` +
            `${REPL_USER}', MASTER_PASSWORD=${sqlString(password)}, MASTER_USE_GTID=slave_pos, ` +
            `MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1;\nSTART SLAVE;\n`,
        });
        runs.push(follow);
        if (follow.failed) return spanning(runs, "mariadb-replication-start");
        started = true;
        // Both threads answer within a few seconds of START SLAVE.
        let status = await replicaStatus();
        for (let i = 0; i < 50 && status.failed && !status.notStarted; i++) {
          await new Promise((r) => setTimeout(r, 200));
          status = await replicaStatus();
        }
        runs.push(status);
        return spanning(runs, "mariadb-replication-start");
      },
      async restore() {
        return notRun(
          "mariadb-replication-restore",
          "a replica is not restored: the restore step fails over to the standby at site B",
        );
      },
      check: () => replicaStatus(),
      list: () => replicaStatus(),
      async stopReplication(): Promise<ToolRun> {
        if (promoted || !ctx.standby)
          return notRun("mariadb-replication-failover", promoted ? "already failed over" : "no standby node");
        // lsyncd runs on the primary: after a site loss it went down with it, and there is nothing to stop.
        const files = await mirror.stop();
        const promote = await runTool(onStandby(), {
          label: "mariadb-replication-promote",
          command: "bash",
          args: ["-c", PROMOTE, "promote"],
        });
        promoted = !promote.failed;
        return spanning([files, promote], "mariadb-replication-failover");
      },
      async close() {
        await mirror.stop();
      },
    };
  },
});

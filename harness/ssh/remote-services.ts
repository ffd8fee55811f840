// What "the services" are on a host reached over SSH, so a drill can stop, start and check them:
// a real MicroStack snap (snap stop|start microstack, openstack checks), drdrill's own load writer
// in the data (a host that only holds a data folder), or nothing.
import { trackKiller } from "../exec/live-groups.ts";
import type { ConfinedDir } from "../agent/confined-dir.ts";
import { requestLine } from "../agent/protocol.ts";
import type { HealthResult, LoadSurvivor } from "../model/target-status.ts";
import { readLoadRecords } from "../util/load-records.ts";
import type { RemoteHost } from "./remote-host.ts";

/** The service commands of a host (the ssh target's settings). */
export interface ServiceCommands {
  quiesce: string;
  resume: string;
  health: string;
}

export interface RemoteServices {
  kind: string;
  /** What a run should know of them (for describe). */
  note: string;
  manifestExcludes: string[];
  running(): boolean;
  quiesce(): Promise<void>;
  resume(): Promise<void>;
  health(): Promise<HealthResult>;
  loadSurvivor(): Promise<LoadSurvivor>;
  /** The newest record written so far (as the disaster strikes). */
  loadNewest(): Promise<LoadSurvivor>;
  stop(): Promise<void>;
}

const HEALTH_WAIT_MS = 180_000;

/** A real MicroStack node: its snap's own commands, with sudo when the login user is not root. */
export function snapServices(host: RemoteHost, s: ServiceCommands): RemoteServices {
  let up = true;
  let failed: string | null = null;
  const run = async (cmd: string) => host.conn.run("sh", ["-c", cmd], { timeoutMs: 600_000 });
  return {
    kind: "snap",
    note:
      `quiesce \`${s.quiesce}\`, resume \`${s.resume}\`, health \`${s.health}\`; no load writer, so no achieved ` +
      `RPO`,
    manifestExcludes: [],
    running: () => up,
    async quiesce() {
      await run(s.quiesce);
      up = false;
    },
    async resume() {
      const r = await run(s.resume);
      up = true;
      failed =
        r.exitCode === 0
          ? null
          : `\`${s.resume}\` failed: ${r.stderr.trim().split("\n").slice(-2).join(" / ") || `exit ${r.exitCode}`}`;
    },
    async health() {
      if (failed) return { ok: false, detail: failed };
      const deadline = Date.now() + HEALTH_WAIT_MS;
      let last = "";
      while (Date.now() < deadline) {
        const r = await run(s.health);
        if (r.exitCode === 0) return { ok: true, detail: `\`${s.health}\` answered` };
        last = r.stderr.trim().split("\n").at(-1) ?? `exit ${r.exitCode}`;
        await new Promise((res) => setTimeout(res, 2000));
      }
      return { ok: false, detail: `\`${s.health}\` kept failing for ${HEALTH_WAIT_MS / 1000} s: ${last}` };
    },
    loadSurvivor: async () => ({ newestWallMs: null, newestSeq: null }),
    loadNewest: async () => ({ newestWallMs: null, newestSeq: null }),
    async stop() {},
  };
}

/** Where the writer keeps its records, relative to the data directory (as the local target's). */
export const LOAD_FILE = "lib/mysql/drdrill-load.jsonl";

/**
 * drdrill's load writer, run on the host by the agent in the background: it appends records to a
 * file in the data (what achieved RPO is measured against) and stops by itself when drdrill stops
 * touching its heartbeat, so a drdrill killed hard leaves no writer behind for long.
 */
export function writerServices(host: RemoteHost, data: ConfinedDir): RemoteServices {
  let pgid: number | null = null;
  let resumedAt = 0;
  let beat: NodeJS.Timeout | undefined;
  let untrack: (() => void) | null = null;
  const heartbeat = `${host.runDir}/scratch/load-writer.heartbeat`;
  const kill = async () => {
    if (pgid === null) return;
    const g = pgid;
    pgid = null;
    clearInterval(beat);
    untrack?.();
    await host.conn
      .run("bash", [
        "-c",
        'kill -TERM -- "-$1" 2>/dev/null; for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$1" 2>/dev/null || ' +
          'exit 0; sleep 0.2; done; kill -KILL -- "-$1" 2>/dev/null; true',
        "stop",
        String(g),
      ])
      .catch(() => {});
  };
  return {
    kind: "load-writer",
    note: `drdrill's load writer (the agent) appends to ${LOAD_FILE} every 100 ms`,
    manifestExcludes: [LOAD_FILE],
    running: () => pgid !== null,
    async resume() {
      if (pgid !== null) return;
      await data.write(LOAD_FILE, "", { parents: true, append: true });
      await host.sh('touch -- "$1"', [heartbeat]);
      const base = `${host.runDir}/scratch/load-writer`;
      const req = requestLine("loadwriter", {
        root: data.path,
        ...(data.options.noFollowRoot ? { rootNoFollow: true } : {}),
        path: LOAD_FILE,
        intervalMs: 100,
        heartbeat,
        staleS: 30,
        pidFile: `${base}.pgid`,
      }).trim();
      // The writer makes its own process group and writes its id down; the start waits for it.
      const out = await host.sh(
        'rm -f -- "$2.pgid"; printf "%s\\n" "$1" > "$2.req" && nohup python3 -I -B -S "$3" < "$2.req" > ' +
          '"$2.log" 2>&1 & i=0; while [ ! -s "$2.pgid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; cat ' +
          '-- "$2.pgid"',
        [req, base, `${host.runDir}/drdrill-agent.py`],
        "starting the load writer",
      );
      pgid = Number(out.trim());
      if (!Number.isInteger(pgid) || pgid <= 1)
        throw new Error(`the load writer on ${host.conn.where} did not start: ${out.trim() || "no process group id"}`);
      resumedAt = Date.now();
      beat = setInterval(() => void host.conn.run("touch", ["--", heartbeat]).catch(() => {}), 5000);
      beat.unref();
      untrack = trackKiller(async () => kill());
    },
    quiesce: kill,
    async health() {
      const deadline = Date.now() + 15_000;
      let last = "";
      while (Date.now() < deadline) {
        if (pgid === null) return { ok: false, detail: "load writer not running" };
        const text = (await data.read(LOAD_FILE).catch(() => null))?.toString("utf8") ?? null;
        if (text === null) last = "journal file missing";
        else {
          const { records, intact } = readLoadRecords(text);
          if (!intact) last = "journal torn or out of sequence";
          else if ((records.at(-1)?.wallMs ?? 0) < resumedAt - 1000) last = "no record written since start";
          else return { ok: true, detail: "load writer running on the host; journal intact and advancing" };
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      return { ok: false, detail: `not healthy after 15 s: ${last}` };
    },
    async loadSurvivor() {
      const text = (await data.read(LOAD_FILE).catch(() => null))?.toString("utf8") ?? "";
      const last = readLoadRecords(text).records.at(-1);
      return { newestWallMs: last?.wallMs ?? null, newestSeq: last?.seq ?? null };
    },
    loadNewest() {
      return this.loadSurvivor();
    },
    stop: kill,
  };
}

export function noServices(): RemoteServices {
  return {
    kind: "none",
    note: "no services: nothing is stopped or started, health is not checked",
    manifestExcludes: [],
    running: () => false,
    quiesce: async () => {},
    resume: async () => {},
    health: async () => ({ ok: true, detail: "no services to check" }),
    loadSurvivor: async () => ({ newestWallMs: null, newestSeq: null }),
    loadNewest: async () => ({ newestWallMs: null, newestSeq: null }),
    stop: async () => {},
  };
}

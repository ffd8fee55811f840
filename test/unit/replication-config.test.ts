// The replicators' configuration: what lsyncd and the first rsync are told to leave out, and how the
// standby's replication status is read.
import { describe, expect, it } from "vitest";
import { lsyncdConfig, rsyncSpec } from "../../harness/tools/lsyncd-mirror.ts";
import type { CommandSpec } from "../../harness/exec/types.ts";
import mariadb, { parseSlaveStatus } from "../../harness/tools/mariadb-replication.ts";
import type { ToolContext } from "../../harness/tools/tool.ts";
import { FakeExecutor } from "../fixtures/runner/fake-executor.ts";

const ctx = {
  workDir: "/drdrill/tool",
  site: {
    user: "drill",
    host: "172.17.0.3",
    port: 22,
    path: "/srv/drdrill/run-1/repo",
    identityFile: "/drdrill/tool/site-key",
    knownHostsFile: "/drdrill/tool/site-known-hosts",
    sshCommand: "ssh",
    appendOnly: false,
  },
} as unknown as ToolContext;

describe("file mirror excludes", () => {
  it("anchors each excluded path at the source in both the daemon's configuration and the first rsync", () => {
    const conf = lsyncdConfig(
      { delay: 1, delete: true, exclude: ["lib/mysql", "run/"] },
      ctx,
      "/var/snap/microstack/common",
    );
    expect(conf).toContain('exclude = { "/lib/mysql", "/run" },');
    const spec = rsyncSpec(ctx, "/var/snap/microstack/common", { delay: 1, delete: true, exclude: ["lib/mysql"] });
    expect(spec.args).toContain("--exclude=/lib/mysql");
    expect(spec.args).toContain("--delete");
    expect(spec.args.at(-1)).toBe("drill@172.17.0.3:/srv/drdrill/run-1/repo/");
  });

  it("writes no exclude line when nothing is left out (the plain lsyncd tool)", () => {
    expect(lsyncdConfig({ delay: 1, delete: true }, ctx, "/data")).not.toContain("exclude");
    expect(
      rsyncSpec(ctx, "/data", { delay: 1, delete: false }).args.some(
        (a) => a.startsWith("--exclude") || a === "--delete",
      ),
    ).toBe(false);
  });
});

describe("mariadb-replication", () => {
  it("reads SHOW SLAVE STATUS\\G into fields", () => {
    const st = parseSlaveStatus(
      "*************************** 1. row ***************************\n                Slave_IO_State: Waiting " +
        "for master to send event\n              Slave_IO_Running: Yes\n             Slave_SQL_Running: " +
        "No\n                Last_SQL_Error: Could not execute Write_rows_v1\n         Seconds_Behind_Master: " +
        "NULL\n",
    );
    expect(st).toMatchObject({
      Slave_IO_Running: "Yes",
      Slave_SQL_Running: "No",
      Last_SQL_Error: "Could not execute Write_rows_v1",
      Seconds_Behind_Master: "NULL",
    });
  });

  it("mirrors all but the database, sockets and logs; the failover compares all but the same", async () => {
    // What the tool runs when it starts replicating, on the primary and on the standby.
    const ran: CommandSpec[] = [];
    const exec = new (class extends FakeExecutor {
      override async run(spec: CommandSpec) {
        ran.push(spec);
        const r = await super.run(spec);
        const status = spec.args.includes("SHOW SLAVE STATUS\\G");
        return status ? { ...r, stdout: "Slave_IO_Running: Yes\nSlave_SQL_Running: Yes\n" } : r;
      }
    })();
    const standby = { exec, primaryHost: "172.17.0.2", dataDir: "/var/snap/microstack/common" };
    const s = mariadb.open(mariadb.settings.parse({}), { ...ctx, exec, standby, passphrase: () => "" });
    expect((await s.backup("full", "/var/snap/microstack/common")).failed).toBe(false);
    const rsync = ran.find((c) => c.command === "rsync")!;
    const mirrored = rsync.args.filter((a) => a.startsWith("--exclude=")).map((a) => a.slice("--exclude=/".length));
    expect(mirrored.sort()).toEqual(["lib/mysql", "log", "run"]);
    const daemon = ran.find((c) => c.label === "lsyncd-start")!;
    expect(daemon.args.join("\n")).toContain('exclude = { "/lib/mysql", "/run", "/log" },');
    // The failover compares the replica with the primary except where nothing was mirrored: the same paths.
    expect([...(mariadb.capabilities.replication?.filesExcluded ?? [])].sort()).toEqual(mirrored);
    expect(mariadb.capabilities.replication?.standby).toMatch(/MicroStack node at site B/);
  });

  it("refuses to start without a standby node, with the reason", async () => {
    const s = mariadb.open(mariadb.settings.parse({}), { ...ctx, passphrase: () => "" } as ToolContext);
    const init = await s.init();
    expect(init?.failed).toBe(true);
    expect(init?.message).toMatch(/standby node at site B, which only the lab target starts/);
  });
});

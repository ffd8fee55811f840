// The replicators' configuration: what lsyncd and the first rsync are told to leave out, and how the
// standby's replication status is read.
import { describe, expect, it } from "vitest";
import { lsyncdConfig, rsyncSpec } from "../../harness/tools/lsyncd-mirror.ts";
import mariadb, { FILES_EXCLUDED, parseSlaveStatus } from "../../harness/tools/mariadb-replication.ts";
import type { ToolContext } from "../../harness/tools/tool.ts";

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
      "*************************** 1. row ***************************\n                Slave_IO_State: Waiting for master to send event\n              Slave_IO_Running: Yes\n             Slave_SQL_Running: No\n                Last_SQL_Error: Could not execute Write_rows_v1\n         Seconds_Behind_Master: NULL\n",
    );
    expect(st).toMatchObject({
      Slave_IO_Running: "Yes",
      Slave_SQL_Running: "No",
      Last_SQL_Error: "Could not execute Write_rows_v1",
      Seconds_Behind_Master: "NULL",
    });
  });

  it("declares a standby and leaves the database, sockets and logs out of the file comparison", () => {
    expect(mariadb.capabilities.replication?.standby).toBeTruthy();
    expect(mariadb.capabilities.replication?.filesExcluded).toEqual(FILES_EXCLUDED);
    expect([...FILES_EXCLUDED].sort()).toEqual(["lib/mysql", "log", "run"]);
  });

  it("refuses to start without a standby node, with the reason", async () => {
    const s = mariadb.open(mariadb.settings.parse({}), { ...ctx, passphrase: () => "" } as ToolContext);
    const init = await s.init();
    expect(init?.failed).toBe(true);
    expect(init?.message).toMatch(/standby node at site B, which only the lab target starts/);
  });
});

// What a real data directory holds beside its files: a folder bound into it after the backup (a bind
// mount of a folder of the same file system, which st_dev cannot tell) is never entered or deleted
// through, and the run says it left it alone; a live database's Unix socket, which no tool stores,
// is recorded and not required back, so the drill still ends `recovered`, and the report says why.
import { execa } from "execa";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { drdrill, journalHas, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";
import { digestTree } from "../helpers/traps.ts";
import { mountsUnder } from "../../harness/util/mounts.ts";

const dataDir = (out: string) => join(out, "work", "run-1", "target", "common");
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Unmounts every mount point under `dir` (deepest first), whatever the test reached. */
async function unmountUnder(dir: string): Promise<void> {
  for (const m of ((await mountsUnder(dir)) ?? []).sort().reverse())
    await execa("umount", ["-l", m], { reject: false });
}

describe("mount points and sockets in the data directory", () => {
  it.skipIf(process.getuid?.() !== 0)(
    "a folder bound at lib/extra after the backup: delete-path and the restore leave its files, and the run says so",
    async () => {
      const dir = await tmp();
      cleanups.push(() => unmountUnder(dir));
      const outside = join(dir, "outside");
      await mkdir(join(outside, "deep"), { recursive: true });
      for (let i = 0; i < 5; i++) await writeFile(join(outside, `keep-${i}.dat`), `outside file ${i}\n`.repeat(100));
      await writeFile(join(outside, "deep", "keep.txt"), "an outside file two folders down\n");
      const before = await digestTree(outside);
      const file = join(dir, "bind.yaml");
      await writeFile(
        file,
        [
          "name: bind-mount",
          "dataset: { size: 3MB, seed: 5 }",
          "tools: [tar-zstd]",
          "steps:",
          "  - backup: full",
          "  - wait: 3s",
          "  - fault: { delete-path: { path: lib/mysql } }",
          "  - restore: latest",
          "  - verify: [files, services]",
          "expect: [recovered]",
          "",
        ].join("\n"),
      );
      const out = join(dir, "run");
      const run = drdrill(["run", file, "--out", out]);
      await journalHas(out, '"type":"phase-end","phase":"backup"');
      const bound = join(dataDir(out), "lib", "extra");
      await mkdir(bound, { recursive: true });
      await execa("mount", ["--bind", outside, bound]);
      const r = await run;

      // Not a byte of the bound folder is gone: not by the fault, the swap, nor the run folder's removal.
      expect(await digestTree(outside)).toBe(before);
      expect(r.exitCode, r.all).toBe(0);
      const results = await readJson(join(out, "results.json"));
      expect(results.results[0].outcome).toBe("recovered");
      // ...and the run says why: the swap kept the mount point in place, the removal left it.
      const warnings: string = (results.warnings ?? []).join("\n");
      expect(warnings).toMatch(
        /lib\/extra: a mount point \(a bind mount or another file system\); not entered, left alone/,
      );
      expect(warnings).toMatch(/run's folder holds 1 mount point\(s\), left alone .*lib\/extra/);
      expect(await readFile(join(out, "report.md"), "utf8")).toMatch(/\*\*Warning:\*\*.*lib\/extra.*left alone/);

      // The run folder still holds the mount point: --replace refuses it (exit 2) rather than delete through it.
      const again = await drdrill(["run", file, "--out", out, "--replace"]);
      expect(await digestTree(outside)).toBe(before);
      expect(again.exitCode, again.all).toBe(2);
      expect(again.all).toMatch(
        /holds 1 mount point\(s\) \(.*lib\/extra\): --replace never deletes through a mount point/,
      );
    },
    300_000,
  );

  it("a live database's socket (lib/mysql/mysqld.sock) is recorded, not required back: recovered", async () => {
    const dir = await tmp();
    const file = join(dir, "sock.yaml");
    await writeFile(
      file,
      [
        "name: socket",
        "dataset: { size: 3MB, seed: 6 }",
        "tools: [tar-zstd]",
        "steps:",
        "  - wait: 3s",
        "  - backup: full",
        "  - fault: { delete-path: { path: lib/mysql } }",
        "  - restore: latest",
        "  - verify: [files, services]",
        "expect: [recovered]",
        "",
      ].join("\n"),
    );
    const out = join(dir, "run");
    const run = drdrill(["run", file, "--out", out]);
    await journalHas(out, '"type":"dataset"');
    // What MariaDB leaves while it runs: a listening socket beside its files.
    const sock = join(dataDir(out), "lib", "mysql", "mysqld.sock");
    await execa("python3", ["-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", sock]);
    const r = await run;
    expect(r.exitCode, r.all).toBe(0);
    const run0 = (await readJson(join(out, "results.json"))).results[0];
    expect(run0.outcome, run0.reason).toBe("recovered");
    expect(run0.verification.mismatchCount).toBe(0);
    expect(run0.verification.fidelity.sockets).toMatchObject({
      checked: 1,
      kept: 0,
      required: false,
      note: expect.stringContaining("lib/mysql/mysqld.sock"),
    });
    expect(await readFile(join(out, "report.md"), "utf8")).toMatch(
      /\| sockets \| 0 \| 1 \| not stored by backup tools, not required back: lib\/mysql\/mysqld\.sock \| no \|/,
    );
  }, 300_000);
});

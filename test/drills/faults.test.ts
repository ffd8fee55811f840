// The fault catalogue with real duplicity: every fault ends in its expected outcome; silent
// corruption is caught; mounts are undone even after Ctrl-C.
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drdrill, journalEvents, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const mounts = async () =>
  (await readFile("/proc/mounts", "utf8")).split("\n").filter((l) => l.startsWith("drdrill-disk-full"));

describe("fault catalogue (duplicity, local target)", () => {
  it("every fault in scenarios/faults ends in its expected outcome, and the report says what broke", async () => {
    const out = join(await tmp(), "faults");
    const r = await drdrill(["run", "scenarios/faults", "--out", out], { timeoutMs: 900_000 });
    const results = (await readJson(join(out, "results.json"))).results as any[];
    const by = Object.fromEntries(results.map((x) => [x.scenario, x]));
    for (const x of results) expect(x.expected, `${x.scenario}: ${x.outcome}: ${x.reason}`).toContain(x.outcome);
    expect(r.exitCode, r.all).toBe(0);
    expect(by["corrupt-archive"].reason).toMatch(/hash mismatch/i);
    expect(by["wrong-passphrase"].reason).toMatch(/Bad session key/);
    expect(by["delete-archive-volume"].reason).toMatch(/KeyError/);
    expect(by["ransomware"].faults[0].effects.filesEncrypted).toBeGreaterThan(0);
    expect(by["ransomware"].outcome).toBe("recovered");
    expect(by["kill-backup"].faults[0].effects).toMatchObject({ killed: true, rerun: { exitCode: 0 } });
    expect(by["disk-full"].faults.find((f: any) => f.fault === "disk-full").effects.filesystemFull).toBe(true);
    expect(by["disk-full"].metrics.rtoMs).toBeGreaterThan(0); // the second restore recovered
    // the incremental made with the wrong passphrase "succeeded": the report shows it, then the restore fails
    const inc = by["wrong-passphrase-incremental"];
    expect(inc.toolCalls.find((c: any) => c.label === "duplicity-incremental").exitCode).toBe(0);
    expect(inc.outcome).toBe("detected");
    const report = await readFile(join(out, "report.md"), "utf8");
    expect(report).toContain("## Faults");
    expect(report).toMatch(
      /\| corrupt-archive \| .* \| detected \| detected \| duplicity-verify: Invalid data - SHA1 hash mismatch/,
    );
    expect(await mounts()).toEqual([]);
  });

  it("a tool that changes one restored byte and reports success yields silent-corruption, exit 1", async () => {
    const dir = await tmp();
    const bin = join(dir, "bin");
    await mkdir(bin);
    // wraps the real duplicity; after a restore, flips one byte of one restored file
    await writeFile(
      join(bin, "duplicity"),
      `#!/bin/bash\n/usr/bin/duplicity "$@" || exit $?\nif [ "$1" = restore ]; then\n  f=$(find "\${@: ` +
        `-1}/etc" -type f -size +100c | sort | head -n1)\n  printf 'X' | dd of="$f" bs=1 seek=10 conv=notrunc ` +
        `status=none\nfi\n`,
    );
    await chmod(join(bin, "duplicity"), 0o755);
    const out = join(dir, "run");
    const r = await drdrill(
      ["run", "scenarios/seed/seed-drill.yaml", "--tool", "duplicity", "--size", "4MB", "--out", out],
      { env: { PATH: `${bin}:${process.env.PATH}` } },
    );
    expect(r.exitCode, r.all).toBe(1);
    const run = (await readJson(join(out, "results.json"))).results[0];
    expect(run.outcome).toBe("silent-corruption");
    expect(run.passed).toBe(false);
    expect(run.verification.mismatches).toEqual([expect.objectContaining({ kind: "content" })]);
    expect(run.verification.mismatches[0].path).toMatch(/^etc\//);
  });

  it("Ctrl-C during a restore onto the small filesystem: exit 130 and the mount is gone", async () => {
    const dir = await tmp();
    const out = join(dir, "run");
    const child = drdrill(["run", "scenarios/faults/disk-full.yaml", "--out", out]);
    for (let i = 0; i < 600; i++) {
      if (
        (await mounts()).length > 0 &&
        (await readFile(join(out, "journal.jsonl"), "utf8").catch(() => "")).includes('"phase":"restore"')
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await mounts()).length).toBe(1);
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(await mounts()).toEqual([]);
    expect((await journalEvents(out)).at(-1).type).toBe("interrupted");
  });
});

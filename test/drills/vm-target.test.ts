// The vm target as a user runs it: `--target vm` builds the image if needed, boots MicroStack's VM
// and drills it over SSH; the seed drill recovers with every metric, a corrupt archive and a wrong
// passphrase are detected, the passphrase shows on no command line in the guest and in no file of
// the run, and no qemu is left after the run or after Ctrl-C.
import { execa } from "execa";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allFiles, drdrill, readJson } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";

const MARKER = "drdrill-marker-passphrase-vm-3b7a";
const qemus = async () =>
  (await execa("pgrep", ["-f", "[q]emu-system-x86_64.*drdrill"], { reject: false })).stdout.trim();

/** ssh into the run's VM with the run's own key (found in its folder), to look at the guest. */
async function guestPs(out: string): Promise<string | null> {
  const work = join(out, "work");
  for (const run of await readdir(work).catch(() => [] as string[])) {
    const dir = join(work, run, "vm");
    const key = join(dir, "id_ed25519");
    const known = join(dir, "known_hosts");
    const pid = (await readFile(join(dir, "qemu.pid"), "utf8").catch(() => "")).trim();
    const port = /hostfwd=tcp:127\.0\.0\.1:(\d+)-/.exec(
      pid ? await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "") : "",
    )?.[1];
    if (!port) continue;
    const r = await execa(
      "ssh",
      [
        "-i",
        key,
        "-o",
        `UserKnownHostsFile=${known}`,
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=5",
        "-p",
        port,
        "root@127.0.0.1",
        "ps -eo args",
      ],
      { reject: false, timeout: 15_000 },
    );
    if (r.exitCode === 0) return String(r.stdout);
  }
  return null;
}

describe("the vm target", () => {
  it(
    "the seed drill, a corrupt archive and a wrong passphrase in the VM: recovered, detected, detected; the " +
      "passphrase shows nowhere; no qemu left",
    async () => {
      const out = join(await tmp(), "run");
      let sampling = true;
      const seen: string[] = [];
      let looked = 0;
      const sampler = (async () => {
        while (sampling) {
          const ps = await guestPs(out);
          if (ps !== null) looked++;
          if (ps?.includes(MARKER)) seen.push(ps);
          await new Promise((r) => setTimeout(r, 500));
        }
      })();
      const r = await drdrill(
        [
          "run",
          "scenarios/seed/seed-drill.yaml",
          "scenarios/seed/seed-corrupt-archive.yaml",
          "scenarios/seed/seed-wrong-passphrase.yaml",
          "--target",
          "vm",
          "--tool",
          "duplicity",
          "--size",
          "8MB",
          "--out",
          out,
        ],
        { env: { DRDRILL_PASSPHRASE: MARKER }, timeoutMs: 2_400_000 },
      );
      sampling = false;
      await sampler;
      expect(r.exitCode, r.all.slice(-3000)).toBe(0);
      const results = await readJson(join(out, "results.json"));
      const [seed, corrupt, wrong] = results.results;
      expect(seed).toMatchObject({ outcome: "recovered", target: "vm" });
      for (const m of ["rtoMs", "rpoMs", "downtimeMs", "backupThroughputBps", "restoreThroughputBps"])
        expect(seed.metrics[m], m).toBeGreaterThan(0);
      expect(corrupt.outcome).toBe("detected");
      expect(wrong.outcome).toBe("detected");
      expect(results.environment.target.kind).toBe("vm");
      if (/tcg/.test(results.environment.target.accel)) {
        expect(results.warnings.join(" ")).toMatch(/emulated/);
        expect(r.all).toMatch(/warning: VM timings are emulated/);
      }
      expect(looked).toBeGreaterThan(0);
      expect(seen).toEqual([]);
      for (const f of await allFiles(out)) expect(await readFile(f, "utf8"), f).not.toContain(MARKER);
      expect(r.all).not.toContain(MARKER);
      expect(await qemus()).toBe("");
    },
  );

  it("Ctrl-C while the VM drill runs: exit 130 and no qemu left", async () => {
    const out = join(await tmp(), "run");
    const child = drdrill(
      ["run", "scenarios/seed/seed-drill.yaml", "--target", "vm", "--tool", "restic", "--size", "4MB", "--out", out],
      { timeoutMs: 900_000 },
    );
    for (
      let i = 0;
      i < 3000 && !(await readFile(join(out, "journal.jsonl"), "utf8").catch(() => "")).includes('"phase":"seed"');
      i++
    )
      await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(await qemus()).toBe("");
  });
});

// Harness overhead: the seed drill's duplicity backup and restore run by drdrill vs the same
// duplicity commands in a plain shell script, same data, interleaved, median of 5 each (BENCH_OVERHEAD_RUNS).
import { execa } from "execa";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDataset } from "../harness/targets/local/generator.ts";
import { parseSize } from "../harness/util/units.ts";
import type { BenchModule } from "./run.ts";
import { median } from "./util.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_OVERHEAD_RUNS ?? 5);

const SCRIPT = `#!/bin/bash
# The seed drill's duplicity commands, as a person would script them (same flags as drdrill's adapter).
set -e
W=$1; DATA=$2
export PASSPHRASE=bench-passphrase
common="--archive-dir $W/cache --name drill --tempdir $W --num-retries 1"
ms() { date +%s%N | cut -b1-13; }
t0=$(ms); duplicity full $common --volsize 200 "$DATA" "file://$W/repo" >/dev/null; t1=$(ms)
duplicity restore $common "file://$W/repo" "$W/restored" >/dev/null; t2=$(ms)
echo "$((t1-t0)) $((t2-t1))"
`;

/** Both sides start with the data in the page cache (drdrill has just written and hashed it). */
async function warm(dir: string): Promise<void> {
  await execa("sh", ["-c", "find . -type f -print0 | xargs -0 cat > /dev/null"], { cwd: dir, reject: false });
}

const bench: BenchModule = {
  name: "harness-overhead",
  async run() {
    const size = process.env.BENCH_OVERHEAD_SIZE ?? "300MB";
    const sizeBytes = parseSize(size)!;
    const dir = await mkdtemp(join(tmpdir(), "drdrill-bench-overhead-"));
    try {
      const data = join(dir, "common");
      await generateDataset(data, sizeBytes, 1); // the seed drill's generator and seed: the same bytes drdrill makes
      const script = join(dir, "drill.sh");
      await writeFile(script, SCRIPT, { mode: 0o755 });
      const shell: { backup: number; restore: number }[] = [];
      const ours: { backup: number; restore: number; drillMs: number }[] = [];
      for (let i = 0; i < RUNS; i++) {
        const w = join(dir, `sh-${i}`);
        await warm(data);
        const r = await execa("bash", [script, w, data]);
        const [b, rs] = r.stdout.trim().split(" ").map(Number);
        shell.push({ backup: b!, restore: rs! });
        await rm(w, { recursive: true, force: true });

        const out = join(dir, `dd-${i}`);
        const t = Date.now();
        const d = await execa(
          process.execPath,
          [
            join(ROOT, "bin/drdrill.js"),
            "run",
            join(ROOT, "scenarios/seed/seed-drill.yaml"),
            "--tool",
            "duplicity",
            "--size",
            size,
            "--out",
            out,
          ],
          { reject: false, env: { DRDRILL_PROGRESS: "none" } },
        );
        if (d.exitCode !== 0) throw new Error(`drdrill exited ${d.exitCode}: ${d.stderr}`);
        const res = JSON.parse(await readFile(join(out, "results.json"), "utf8"));
        const calls = res.results[0].toolCalls as { kind: string; durationMs: number }[];
        ours.push({
          backup: calls.find((c) => c.kind === "backup")!.durationMs,
          restore: calls.find((c) => c.kind === "restore")!.durationMs,
          drillMs: Date.now() - t,
        });
        await rm(out, { recursive: true, force: true });
      }
      const shTool = median(shell.map((s) => s.backup + s.restore));
      const ddTool = median(ours.map((s) => s.backup + s.restore));
      return {
        sizeBytes,
        shellBackupRestoreMs: shTool,
        drdrillBackupRestoreMs: Math.round(ddTool),
        overheadPercent: Math.round(((ddTool - shTool) / shTool) * 1000) / 10,
        target: "<= 2 %",
        samples: { shell, drdrill: ours },
        drdrillWholeDrillMedianMs: median(ours.map((o) => o.drillMs)),
        note:
          "Tool-call overhead: drdrill's measured wall time of the backup and restore calls vs the same commands " +
          "timed in bash. The whole drill also seeds the data, hashes it twice (manifest), waits the scenario's " +
          "load step and checks health; those are reported per phase in results.json.",
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default bench;

// drdrill on a real tree (Debian's linux-source-6.1: ~78 k files, ~1.3 GB), side by side with the
// same work done by hand in the same run:
// - seeding: drdrill's copier (copyTree) vs `cp -a`, each from a cold page cache;
// - manifest: the agent vs `find | xargs -0 -P<cores> sha256sum`, warm, median of 3;
// - the seed drill with duplicity, restic, borg and tar-zstd on the tree (one invocation of
//   BENCH_REAL_TREE_REPEAT passes, default 2, so one pristine copy; no --keep, as a user runs it):
//   every phase per tool, and the share of the wall time spent in drdrill's own work;
// - each tool's restore in pairs (BENCH_REAL_TREE_PAIRS a tool, default 2, tools in turn): a drdrill
//   run of the tool alone, then at once the very same command (from results.json) by hand from its
//   repository into a fresh folder; and tar-zstd also as a plain `zstd -dc | tar -x`;
// - harness peak RSS for a manifest of the tree and of ten hard-linked copies of it (780 k files).
// `npm run bench real-tree`; BENCH_TREE=/some/dir drills another tree instead. BENCH_REAL_TREE_FS=xfs
// runs it all on an XFS file system with reflinks (a loop-mounted sparse image, xfsprogs installed
// from Debian's packages when absent; root), where each run's clone of the tree shares its blocks.
import { execa } from "execa";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { LocalExecutor } from "../harness/exec/local-executor.ts";
import { localDir } from "../harness/agent/local-dir.ts";
import { copyTree } from "../harness/targets/local/copy-tree.ts";
import { SecretStore } from "../harness/util/secrets.ts";
import type { BenchModule } from "./run.ts";
import { median, timeMs as ms } from "./util.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const FS = process.env.BENCH_REAL_TREE_FS ?? "";
const XFS_IMAGE = "/var/tmp/drdrill-bench-xfs.img";
const XFS_MOUNT = "/var/tmp/drdrill-bench-xfs";
const WORK =
  process.env.BENCH_REAL_TREE_WORK ?? (FS === "xfs" ? join(XFS_MOUNT, "work") : "/var/tmp/drdrill-bench-real-tree");
const PASS = "bench-real-tree-passphrase";
const TOOLS = (process.env.BENCH_REAL_TREE_TOOLS ?? "duplicity restic borg tar-zstd").split(/\s+/).filter(Boolean);
/** Passes of the matrix: each tool's restore is compared by its median over them. */
const REPEAT = Math.max(1, Number(process.env.BENCH_REAL_TREE_REPEAT ?? 2));
/** Pairs of restores (drdrill's, then the same command by hand) a tool, tools in turn. */
const PAIRS = Math.max(1, Number(process.env.BENCH_REAL_TREE_PAIRS ?? 2));
const OWN = ["seed", "manifest", "inspect", "replace", "cleanup"];
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

async function sh(script: string, opts: { cwd?: string; env?: Record<string, string> } = {}) {
  return execa("bash", ["-c", `set -euo pipefail; ${script}`], { ...opts, stdio: ["ignore", "pipe", "pipe"] });
}

async function dropCaches(): Promise<boolean> {
  const r = await execa("sh", ["-c", "sync && echo 3 > /proc/sys/vm/drop_caches"], { reject: false });
  return r.exitCode === 0;
}

/** An XFS file system with reflinks on a sparse 24 GB image, mounted at XFS_MOUNT; returns how to undo it. */
async function mountXfs(): Promise<() => Promise<void>> {
  if ((await execa("sh", ["-c", "command -v mkfs.xfs"], { reject: false })).exitCode !== 0) {
    process.stderr.write("bench: installing xfsprogs from Debian's packages\n");
    await execa("apt-get", ["install", "-y", "-q", "--no-install-recommends", "xfsprogs"], {
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdio: "ignore",
    });
  }
  await execa("umount", [XFS_MOUNT], { reject: false });
  await rm(XFS_IMAGE, { force: true });
  await execa("truncate", ["-s", "24G", XFS_IMAGE]);
  await execa("mkfs.xfs", ["-q", "-f", "-m", "reflink=1", XFS_IMAGE]);
  await mkdir(XFS_MOUNT, { recursive: true });
  await execa("mount", ["-o", "loop", XFS_IMAGE, XFS_MOUNT]);
  return async () => {
    await execa("umount", [XFS_MOUNT], { reject: false });
    await rm(XFS_IMAGE, { force: true });
  };
}

/** The tree: BENCH_TREE, else linux-source-6.1 unpacked once under WORK (the package installed when absent). */
async function tree(): Promise<string> {
  if (process.env.BENCH_TREE) return process.env.BENCH_TREE;
  const dir = join(WORK, "linux-source-6.1");
  if (await stat(join(dir, "Makefile")).catch(() => null)) return dir;
  const tarball = "/usr/src/linux-source-6.1.tar.xz";
  if (!(await stat(tarball).catch(() => null))) {
    process.stderr.write("bench: installing linux-source-6.1 from Debian's packages\n");
    await execa("apt-get", ["install", "-y", "-q", "--no-install-recommends", "linux-source-6.1"], {
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdio: "ignore",
    });
  }
  await mkdir(WORK, { recursive: true });
  await execa("tar", ["-C", WORK, "-xJf", tarball]);
  return dir;
}

/** A child process's peak RSS and its agent's, for a manifest of `dir` (bench/manifest-peak.ts). */
async function manifestPeak(
  dir: string,
): Promise<{ files: number; entries: number; nodeMaxRssKb: number; agentPeakKb: number }> {
  const r = await execa(process.execPath, ["--import", "tsx", join(ROOT, "bench/manifest-peak.ts"), dir], {
    cwd: ROOT,
  });
  return JSON.parse(r.stdout);
}

interface RunSummary {
  tool: string;
  repeat: number;
  outcome: string;
  phasesMs: Record<string, number>;
  ownMs: number;
  /** From the run's first phase to its last. */
  spanMs: number;
  restoreMs: number;
  restoreCommand: string;
  /** Manifest hashes taken from the pristine tree, not read again. */
  hashesReused: number | null;
  /** The write-back forced to disk at the end of the backup, the fault and the restore (inside their phases). */
  flushMs: Record<string, number>;
}

/**
 * Replays drdrill's restore command by hand into a fresh folder (the staging path swapped), as a person would run
 * it.
 */
async function byHand(run: RunSummary, work: string, fresh: string): Promise<number> {
  const staging = /\S*\/staging-\d+\/common/.exec(run.restoreCommand)?.[0];
  let cmd = run.restoreCommand.replace(/^(\w+=\*\*\* )+/, "");
  if (staging) cmd = cmd.split(staging).join(fresh);
  await rm(fresh, { recursive: true, force: true });
  await mkdir(fresh, { recursive: true });
  // drdrill's run has just written its restored tree: on disk first, so its write-back does not land on this restore.
  await sh("sync");
  const env: Record<string, string> = {
    PASSPHRASE: PASS,
    RESTIC_PASSWORD: PASS,
    BORG_PASSPHRASE: PASS,
    BORG_BASE_DIR: join(work, "target", "tool", "borg"),
    BORG_RELOCATED_REPO_ACCESS_IS_OK: "yes",
  };
  const t = await ms(() => sh(cmd, { cwd: fresh, env }));
  await rm(fresh, { recursive: true, force: true });
  return t;
}

/** One drdrill invocation of the scenario (progress off), not rejected on failure. */
function drdrill(scen: string, tools: string[], repeat: number, out: string, keep: boolean) {
  const args = ["run", scen, "--tool", ...tools, "--repeat", String(repeat), "--out", out, ...(keep ? ["--keep"] : [])];
  return execa(process.execPath, [join(ROOT, "bin/drdrill.js"), ...args], {
    reject: false,
    env: { DRDRILL_PROGRESS: "none", DRDRILL_PASSPHRASE: PASS },
  });
}

/** An invocation's journal events. */
async function journalOf(out: string): Promise<any[]> {
  return (await readFile(join(out, "journal.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

/** Each run of an invocation: its phases, own work, span and restore call, from results.json and the journal. */
async function summaries(out: string, journal: any[]): Promise<RunSummary[]> {
  const res = JSON.parse(await readFile(join(out, "results.json"), "utf8"));
  return res.results.map((x: any) => {
    const phasesMs: Record<string, number> = {};
    for (const p of x.phases) phasesMs[p.name] = r1((phasesMs[p.name] ?? 0) + (p.endMs - p.startMs));
    const restore = x.toolCalls.find((c: any) => c.kind === "restore");
    const manifest = journal.find((e) => e.type === "manifest" && e.run === x.index);
    const flushMs: Record<string, number> = {};
    for (const f of journal.filter((e) => e.type === "flush" && e.run === x.index))
      flushMs[f.after] = r1((flushMs[f.after] ?? 0) + (f.ms ?? 0));
    return {
      tool: x.tool,
      repeat: x.repeat,
      outcome: x.outcome,
      phasesMs,
      ownMs: r1(OWN.reduce((a, n) => a + (phasesMs[n] ?? 0), 0)),
      spanMs: Math.round(
        Math.max(...x.phases.map((p: any) => p.endMs)) - Math.min(...x.phases.map((p: any) => p.startMs)),
      ),
      restoreMs: Math.round(restore.durationMs),
      restoreCommand: restore.command,
      hashesReused: manifest?.hashesReused ?? null,
      flushMs,
    };
  });
}

const bench: BenchModule = {
  name: "real-tree",
  async run() {
    const unmount = FS === "xfs" ? await mountXfs() : null;
    try {
      return {
        fileSystem:
          FS === "xfs"
            ? "xfs (reflink=1, loop-mounted sparse image)"
            : (await execa("stat", ["-f", "-c", "%T", "/var/tmp"])).stdout.trim(),
        ...(await drill()),
      };
    } finally {
      await unmount?.();
    }
  },
};

/** Every measurement, on the file system WORK is on. */
async function drill(): Promise<Record<string, unknown>> {
  const src = await tree();
  await mkdir(WORK, { recursive: true });
  const scratch = await mkdtemp(join(WORK, "run-"));
  const cores = availableParallelism();
  const exec = new LocalExecutor(scratch, new SecretStore());
  // One agent for the tree's size and manifests (closed at the end: it is a long-lived process).
  const treeDir = localDir(src);
  try {
    const size = await treeDir.size();

    // 1. Seeding, cold cache each: cp -a, then drdrill's copier.
    const cold = await dropCaches();
    const cpMs = await ms(() => execa("cp", ["-a", "-T", "--", src, join(scratch, "cp")]));
    await rm(join(scratch, "cp"), { recursive: true, force: true });
    await dropCaches();
    await mkdir(join(scratch, "ours"));
    const oursMs = await ms(() => copyTree(exec, src, join(scratch, "ours")));
    await rm(join(scratch, "ours"), { recursive: true, force: true });

    // 2. Manifest, warm.
    const shaCmd = `find . -type f -print0 | xargs -0 -P${cores} -n 32 sha256sum > /dev/null`;
    await sh(shaCmd, { cwd: src });
    const shaMs: number[] = [];
    const manMs: number[] = [];
    for (let i = 0; i < 3; i++) {
      shaMs.push(await ms(() => sh(shaCmd, { cwd: src })));
      manMs.push(await ms(() => treeDir.manifest()));
    }

    // 3. The seed drill on the tree, every tool in one invocation.
    const scen = join(scratch, "real-tree-drill.yaml");
    await writeFile(
      scen,
      [
        "name: real-tree-drill",
        "description: The seed drill on a real source tree (many small files).",
        `dataset: { copyFrom: ${JSON.stringify(src)}, seed: 1 }`,
        "mode: cold",
        "tools:",
        "  - duplicity: { encryption: gpg-symmetric, volsize: 200 }",
        "  - restic: {}",
        "  - borg: { encryption: repokey-blake2, compression: lz4 }",
        "  - tar-zstd: {}",
        "steps:",
        "  - backup: full",
        "  - fault: { delete-path: { path: . } }",
        "  - restore: latest",
        "  - verify: [files, services]",
        "expect: recovered",
        "",
      ].join("\n"),
    );
    // The matrix as a user runs it: no --keep, so each run's trees are set aside and deleted after the reports.
    const out = join(scratch, "drill");
    await dropCaches();
    const t0 = Date.now();
    const d = await drdrill(scen, TOOLS, REPEAT, out, false);
    const wallMs = Date.now() - t0;
    if (d.exitCode !== 0) throw new Error(`drdrill exited ${d.exitCode}: ${d.stderr.slice(-2000)}`);
    const journal = await journalOf(out);
    const runs = await summaries(out, journal);
    // After the last run: the reports are written, then the runs' trees (held until then) deleted.
    const ended = journal.find((e) => e.type === "invocation-end");
    const afterRunsMs = ended ? t0 + wallMs - Date.parse(ended.wall) : null;
    await rm(out, { recursive: true, force: true });
    const ownTotal = runs.reduce((a, r) => a + r.ownMs, 0);
    const toolTotal = runs.reduce((a, r) => a + (r.phasesMs.backup ?? 0) + (r.phasesMs.restore ?? 0), 0);
    const first = runs.filter((r) => r.repeat === 1);
    const firstOwn = first.reduce((a, r) => a + r.ownMs, 0);
    const firstSpan = first.reduce((a, r) => a + r.spanMs, 0);

    // 4. Restores side by side, pair by pair: one drdrill run of a tool (kept), then at once the very
    //    same restore command by hand from that run's repository into a fresh folder. The two halves
    //    of a pair are seconds apart, so the machine's drift (the same extract varies by 15 % here
    //    from one minute to the next) falls on both; the tools are taken in turn.
    const pairs = new Map<string, { ours: number; hand: number }[]>(TOOLS.map((t) => [t, []]));
    const plain: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      for (const tool of TOOLS) {
        const pairOut = join(scratch, "pair");
        await rm(pairOut, { recursive: true, force: true });
        await sh("sync");
        const p = await drdrill(scen, [tool], 1, pairOut, true);
        if (p.exitCode !== 0) throw new Error(`drdrill (${tool}) exited ${p.exitCode}: ${p.stderr.slice(-2000)}`);
        const [run] = await summaries(pairOut, await journalOf(pairOut));
        const hand = await byHand(run!, join(pairOut, "work", "run-1"), join(scratch, "by-hand"));
        pairs.get(tool)!.push({ ours: run!.restoreMs, hand });
        if (tool === "tar-zstd") {
          const archive = /\S+\.tar\.zst/.exec(run!.restoreCommand)?.[0];
          const dir = join(scratch, "plain");
          await mkdir(dir, { recursive: true });
          if (archive) plain.push(await ms(() => sh(`zstd -dc -- ${archive} | tar -x -C ${dir}`)));
          await rm(dir, { recursive: true, force: true });
        }
        await rm(pairOut, { recursive: true, force: true });
      }
    }
    const restores: Record<string, unknown> = {};
    for (const [tool, ps] of pairs) {
      restores[tool] = {
        drdrillMedianMs: Math.round(median(ps.map((p) => p.ours))),
        byHandMedianMs: Math.round(median(ps.map((p) => p.hand))),
        pairs: ps.map((p) => ({
          drdrillMs: Math.round(p.ours),
          byHandMs: Math.round(p.hand),
          ratio: r2(p.ours / p.hand),
        })),
        ratio: r2(median(ps.map((p) => p.ours / p.hand))),
        ...(tool === "tar-zstd" && plain.length ? { plainZstdTarMs: Math.round(median(plain)) } : {}),
      };
    }

    // 5. Peak RSS: the tree, then ten hard-linked copies (the same files under ten times the paths).
    const one = await manifestPeak(src);
    const ten = join(scratch, "ten");
    await mkdir(ten, { recursive: true });
    for (let i = 0; i < 10; i++) await execa("cp", ["-al", "--", src, join(ten, `copy-${i}`)]);
    const tenPeak = await manifestPeak(ten);
    await rm(ten, { recursive: true, force: true });
    const perFile = (p: { files: number; nodeMaxRssKb: number; agentPeakKb: number }) =>
      r1(((p.nodeMaxRssKb + p.agentPeakKb) * 1024) / Math.max(1, p.files));

    return {
      tree: { path: src, bytes: size.bytes, files: size.files },
      cores,
      coldCache: cold,
      seeding: {
        cpAMs: Math.round(cpMs),
        drdrillMs: Math.round(oursMs),
        speedVsCpA: r2(cpMs / oursMs),
        target: ">= 0.8",
      },
      manifest: {
        drdrillMedianMs: Math.round(median(manMs)),
        sha256sumMedianMs: Math.round(median(shaMs)),
        speedVsSha256sum: r2(median(shaMs) / median(manMs)),
        target: ">= 1.0",
        samples: { drdrill: manMs.map(Math.round), sha256sum: shaMs.map(Math.round) },
      },
      matrix: {
        tools: TOOLS,
        wallMs,
        afterRunsMs,
        repeat: REPEAT,
        ownPhasesMs: Math.round(ownTotal),
        toolPhasesMs: Math.round(toolTotal),
        // Deleting the runs' trees is drdrill's own work too, wherever it happens.
        ownShare: r2((ownTotal + (afterRunsMs ?? 0)) / wallMs),
        ownSharePhasesOnly: r2(ownTotal / wallMs),
        firstPass: {
          ownPhasesMs: Math.round(firstOwn),
          runsSpanMs: firstSpan,
          ownShare: r2(firstOwn / firstSpan),
          note:
            "the first run of each tool alone (it made the pristine hashes): own phases over the runs' spans, " +
            "without starting the process and the reports",
        },
        target: "<= 0.15",
        runs: runs.map(({ restoreCommand: _c, ...r }) => r),
        note:
          "own phases: seed (the pristine copy included), manifest, inspect, replace, cleanup; tool phases: " +
          "backup and restore; the rest of the wall time is starting the process, the fault (deleting the tree), " +
          "and, after the last run (afterRunsMs), the reports and deleting the runs' trees; flushMs: the " +
          "write-back forced to disk at the end of the backup, fault and restore phases (the tool calls' times " +
          "exclude it)",
      },
      restores: {
        ...restores,
        target: "drdrill within 10 % of the same command by hand (ratio <= 1.1)",
        note:
          `${PAIRS} pairs a tool, tools in turn: a drdrill run of the tool alone, then the same restore command ` +
          `by hand from its repository at once; ratio: the median of the pairs' ratios`,
      },
      peakRss: {
        tree: { ...one, bytesPerFile: perFile(one) },
        tenCopies: { ...tenPeak, bytesPerFile: perFile(tenPeak) },
        note: "node's maxRSS plus the agent's VmHWM (the agent walks and hashes; node holds the manifest it returns)",
      },
    };
  } finally {
    treeDir.agent.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
export default bench;

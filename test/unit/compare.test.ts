// `drdrill compare`: a throttled tool is a regression, ordinary run-to-run noise is not; the
// verdict is the exit code, the report is Markdown for a pull request.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareCommand, parsePercent } from "../../harness/cli/compare.ts";
import { compareResults } from "../../harness/compare/compare-results.ts";
import { judgeChange } from "../../harness/compare/judge.ts";
import { JUDGED_METRICS } from "../../harness/model/metrics.ts";
import { renderComparisonMarkdown } from "../../harness/compare/render-markdown.ts";
import { spreadOf } from "../../harness/compare/spread.ts";
import type { ResultsFile } from "../../harness/model/results-file.ts";
import { InputError } from "../../harness/model/errors.ts";
import { tmp } from "../helpers/tmp.ts";
import { repeats, resultsFile, run } from "./report-fixture.ts";

const OPTS = { thresholdPct: 10, minChangeMs: 1000 };
const kind = (name: string) => JUDGED_METRICS.find((k) => k.key === name)!;

/** A copy of a results file as if the tool ran `factor` times slower (times up, rates down). */
function throttled(file: ResultsFile, factor: number): ResultsFile {
  const copy = structuredClone(file);
  for (const r of copy.results) {
    const m = r.metrics;
    m.backupMs! *= factor;
    m.restoreMs! *= factor;
    m.backupThroughputBps! /= factor;
    m.restoreThroughputBps! /= factor;
    m.rtoMs! += m.restoreMs! - m.restoreMs! / factor;
    m.downtimeMs! += m.backupMs! - m.backupMs! / factor;
  }
  return { ...copy, runId: "throttled" };
}

describe("judging one metric", () => {
  it("calls a slower time a regression only beyond the threshold, the floor and both ranges", () => {
    const base = spreadOf([10_000, 10_500, 11_000]);
    expect(judgeChange(kind("backupMs"), base, spreadOf([14_000, 15_000, 16_000]), OPTS).verdict).toBe("regression");
    // overlapping ranges: noise, however far the medians
    expect(judgeChange(kind("backupMs"), base, spreadOf([10_900, 14_000, 15_000]), OPTS)).toMatchObject({
      verdict: "noise",
      why: "worse, but within the runs' min–max",
    });
    // beyond both ranges, but only 5 %
    expect(judgeChange(kind("backupMs"), spreadOf([10_000]), spreadOf([10_500]), OPTS).why).toMatch(
      /within the 10% threshold/,
    );
    // 40 % slower but only 400 ms: timing noise on a short drill
    expect(judgeChange(kind("restoreMs"), spreadOf([1000]), spreadOf([1400]), OPTS).why).toMatch(
      /400 ms, under the 1 s timing floor/,
    );
    expect(judgeChange(kind("backupMs"), spreadOf([16_000]), spreadOf([10_000]), OPTS).verdict).toBe("improvement");
  });

  it("reads rates the other way round, and applies the floor through the time they stand for", () => {
    const src = { base: 50e6, next: 50e6 };
    expect(judgeChange(kind("backupThroughputBps"), spreadOf([20e6]), spreadOf([10e6]), OPTS, src)).toMatchObject({
      verdict: "regression",
      changePct: -50,
    });
    // 50 MB at 60 -> 40 MB/s is 0.83 s -> 1.25 s: under the floor
    expect(judgeChange(kind("restoreThroughputBps"), spreadOf([60e6]), spreadOf([40e6]), OPTS, src).verdict).toBe(
      "noise",
    );
    expect(judgeChange(kind("backupThroughputBps"), spreadOf([10e6]), spreadOf([20e6]), OPTS, src).verdict).toBe(
      "improvement",
    );
  });

  it("sizes have no timing floor; nothing measured is not compared", () => {
    expect(judgeChange(kind("repoBytes"), spreadOf([35e6]), spreadOf([70e6]), OPTS).verdict).toBe("regression");
    expect(judgeChange(kind("rtoMs"), null, spreadOf([1]), OPTS)).toMatchObject({
      verdict: "not-compared",
      why: "not measured in base",
    });
    expect(judgeChange(kind("downtimeMs"), spreadOf([0]), spreadOf([0]), OPTS).verdict).toBe("unchanged");
    expect(judgeChange(kind("downtimeMs"), spreadOf([0]), spreadOf([5000]), OPTS)).toMatchObject({
      verdict: "regression",
      changePct: null,
    });
  });
});

describe("comparing two run folders' results", () => {
  const base = resultsFile(repeats([0.92, 1, 1.1]));

  it("flags a tool throttled to a third of its speed", () => {
    const c = compareResults(base, throttled(base, 3), OPTS);
    expect(c.regressions).toBeGreaterThan(0);
    const g = c.groups[0]!;
    const verdict = (n: string) => g.metrics.find((m) => m.kind.key === n)!.verdict;
    expect(verdict("backupThroughputBps")).toBe("regression");
    expect(verdict("backupMs")).toBe("regression");
    expect(verdict("repoBytes")).toBe("unchanged");
  });

  it("does not flag two ordinary runs of the same scenario (noise within each other's spread)", () => {
    const c = compareResults(base, resultsFile(repeats([1.05, 0.95, 1.08])), OPTS);
    expect(c.regressions).toBe(0);
    expect(c.improvements).toBe(0);
    // single runs: a 30 % faster restore on a 1 s restore is timing noise
    const one = compareResults(
      resultsFile([run()]),
      resultsFile([run({ metrics: { restoreMs: 780, restoreThroughputBps: 64e6, rtoMs: 1120 } })]),
      OPTS,
    );
    expect(one.regressions + one.improvements).toBe(0);
  });

  it("a group that passed before and fails now is a regression, whatever the metrics", () => {
    const next = resultsFile([run({ outcome: "silent-corruption", passed: false })]);
    const c = compareResults(resultsFile([run()]), next, OPTS);
    expect(c.groups[0]!.outcomeRegression).toBe(true);
    expect(c.regressions).toBe(1);
    expect(renderComparisonMarkdown(c)).toContain("### Runs that no longer pass");
  });

  it("matches runs by group; groups in only one run are listed, not judged", () => {
    const other = run({ group: "seed-drill :: restic", label: "restic", tool: "restic" });
    const c = compareResults(resultsFile([run()]), resultsFile([run(), other]), OPTS);
    expect(c.groups.map((g) => g.presence)).toEqual(["both", "new-only"]);
    expect(renderComparisonMarkdown(c)).toContain("seed-drill · restic: only in new (1 run(s))");
  });

  it("renders Markdown for a pull request: verdict, what changed, every metric with its spread", () => {
    const md = renderComparisonMarkdown(compareResults(base, throttled(base, 3), OPTS), {
      base: "runs/main",
      next: "runs/pr",
    });
    expect(md).toMatch(/^## drdrill compare: ❌ \*\*\d+ regressions\*\*/);
    expect(md).toContain("Base `runs/main`");
    expect(md).toContain("### Changes beyond the noise");
    expect(md).toMatch(
      /\| seed-drill · duplicity [^|]+ \| backup rate \| [\d.]+ MB\/s <sub>[\d.]+ MB\/s–[\d.]+ MB\/s, n=3<\/sub> \|/,
    );
    expect(md).toContain("<details><summary>All metrics</summary>");
    expect(renderComparisonMarkdown(compareResults(base, base, OPTS))).toMatch(
      /^## drdrill compare: ✅ \*\*No regression\*\*/,
    );
  });
});

describe("drdrill compare BASE NEW", () => {
  async function folder(dir: string, file: ResultsFile): Promise<string> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "results.json"), JSON.stringify(file));
    return dir;
  }

  it("exits 1 on a regression, 0 otherwise, and writes --out", async () => {
    const d = await tmp();
    const base = resultsFile(repeats([0.92, 1, 1.1]));
    const a = await folder(join(d, "a"), base);
    const b = await folder(join(d, "b"), resultsFile(repeats([1.05, 0.95, 1.08])));
    const slow = await folder(join(d, "slow"), throttled(base, 3));
    let printed = "";
    expect(await compareCommand(a, b, {}, (s) => (printed += s))).toBe(0);
    expect(printed).toContain("No regression");
    expect(await compareCommand(a, slow, { out: join(d, "comment.md"), threshold: "25%" }, () => {})).toBe(1);
    expect(await readFile(join(d, "comment.md"), "utf8")).toContain("more than 25%");
  });

  it("bad input is exit 2 (an InputError naming every problem)", async () => {
    const d = await tmp();
    const newer = await folder(join(d, "newer"), { ...resultsFile([run()]), schemaVersion: 99 });
    const err = await compareCommand(join(d, "missing"), newer, { threshold: "lots" }, () => {}).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    const text = (err as InputError).issues.map((i) => `${i.path}: ${i.message}`).join("\n");
    expect(text).toContain('--threshold: "lots" is not a percentage');
    expect(text).toContain("not found: is this a drdrill run folder?");
    expect(text).toContain("schemaVersion: version 99 is newer than this drdrill understands (1)");
    expect(parsePercent("12.5%")).toBe(12.5);
  });
});

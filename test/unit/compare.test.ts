// `drdrill compare`: a change in a time, rate or memory counts only beyond the noise measured on both
// sides (Mann-Whitney U at the stated confidence) and the minimum effect of its kind; single runs
// cannot show a timing regression (unless --strict); nothing in common is exit 2; each kind of thing
// that got worse has its own exit code; the report is Markdown for a pull request.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareCommand, parsePercent } from "../../harness/cli/compare.ts";
import { compareResults } from "../../harness/compare/compare-results.ts";
import { DEFAULT_JUDGE, judgeChange } from "../../harness/compare/judge.ts";
import { matchKey } from "../../harness/compare/match-groups.ts";
import { renderComparisonMarkdown } from "../../harness/compare/render-markdown.ts";
import { spreadOf } from "../../harness/compare/spread.ts";
import { mannWhitney, runsNeeded, smallestP } from "../../harness/metrics/mann-whitney.ts";
import { EXIT } from "../../harness/model/exit-codes.ts";
import { JUDGED_METRICS } from "../../harness/model/metrics.ts";
import type { ResultsFile } from "../../harness/model/results-file.ts";
import { InputError } from "../../harness/model/errors.ts";
import { tmp } from "../helpers/tmp.ts";
import { repeats, resultsFile, run, slowRestore } from "./report-fixture.ts";

const OPTS = DEFAULT_JUDGE;
const STRICT = { ...DEFAULT_JUDGE, strict: true };
const metric = (name: string) => JUDGED_METRICS.find((k) => k.key === name)!;
/** Five runs' worth of ordinary noise, as factors of the fixture's metrics. */
const NOISE_A = [0.92, 1, 1.1, 0.97, 1.04];
const NOISE_B = [1.05, 0.95, 1.08, 0.99, 1.02];

describe("the Mann-Whitney U test", () => {
  it("gives exact p-values (ties as midranks), and the normal approximation for large samples", () => {
    // the reference values are scipy.stats.mannwhitneyu's (exact) and its permutation test (ties)
    expect(mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])).toEqual({ u: 0, p: 2 / 252, method: "exact" });
    expect(mannWhitney([1.1, 2.2, 3.3, 4.4], [0.5, 2.5, 3.5, 6, 7])!.p).toBeCloseTo(0.5555556, 6);
    expect(mannWhitney([1, 1, 2, 2, 3], [2, 3, 3, 4, 4])).toMatchObject({ u: 3, method: "exact" });
    expect(mannWhitney([1, 1, 2, 2, 3], [2, 3, 3, 4, 4])!.p).toBeCloseTo(0.0793651, 6);
    const big = mannWhitney(
      Array.from({ length: 30 }, (_, i) => i),
      Array.from({ length: 30 }, (_, i) => i + 10),
    )!;
    expect(big.method).toBe("normal");
    expect(big.p).toBeCloseTo(0.000224484, 6);
    expect(mannWhitney([5, 5, 5], [5, 5, 5])!.p).toBe(1);
  });

  it("knows how many runs a side it takes to reach a confidence at all", () => {
    expect(smallestP(3, 3)).toBe(0.1);
    expect(runsNeeded(0.01)).toBe(5);
    expect(runsNeeded(0.05)).toBe(4);
  });
});

describe("judging one metric", () => {
  const base = spreadOf([10_000, 10_400, 10_800, 9_800, 10_200]);

  it("calls a slower time a regression only when the rank test tells it from noise and beyond the minimum", () => {
    const slow = judgeChange(metric("restoreMs"), base, spreadOf([13_000, 13_400, 13_200, 12_900, 13_600]), OPTS);
    expect(slow).toMatchObject({ verdict: "regression", test: { method: "Mann-Whitney U", runs: [5, 5] } });
    expect(slow.why).toMatch(/^worse by 29\.4% \(3 s\), beyond noise: p = 0\.008 < 0\.01$/);
    // medians 20 % apart, but the runs interleave: within noise
    const mixed = judgeChange(metric("restoreMs"), base, spreadOf([9_900, 12_200, 12_400, 12_300, 10_700]), OPTS);
    expect(mixed.verdict).toBe("noise");
    expect(mixed.why).toMatch(/but p = 0\.\d+ ≥ 0\.01: within noise$/);
    // clearly apart, but under 10 %: under the minimum effect
    const small = judgeChange(metric("backupMs"), base, spreadOf([11_000, 11_100, 11_050, 11_020, 11_080]), OPTS);
    expect(small.why).toMatch(/under the minimum effect \(10% and 1 s\)/);
    // 40 % slower but only 400 ms: under the absolute minimum
    const short = judgeChange(
      metric("restoreMs"),
      spreadOf([1000, 1010, 990, 1005, 995]),
      spreadOf([1400, 1410, 1390, 1405, 1395]),
      OPTS,
    );
    expect(short).toMatchObject({ verdict: "noise" });
    expect(short.why).toMatch(/\(400 ms\): under the minimum effect/);
    expect(
      judgeChange(metric("restoreMs"), spreadOf([13_000, 13_400, 13_200, 12_900, 13_600]), base, OPTS).verdict,
    ).toBe("improvement");
  });

  it("single runs, or too few for the confidence, cannot show a timing or memory regression unless --strict", () => {
    const one = judgeChange(metric("restoreMs"), spreadOf([1000]), spreadOf([9000]), OPTS);
    expect(one.verdict).toBe("not-judged");
    expect(one.why).toMatch(/1 vs 1 run: too few to tell from noise at 99% confidence \(5 a side needed\)/);
    expect(judgeChange(metric("peakRssBytes"), spreadOf([40e6]), spreadOf([90e6]), OPTS).verdict).toBe("not-judged");
    const three = spreadOf([1000, 1100, 1050]);
    expect(judgeChange(metric("restoreMs"), three, spreadOf([9000, 9100, 9050]), OPTS).verdict).toBe("not-judged");
    // at 90 %, 4 a side suffice
    expect(
      judgeChange(metric("restoreMs"), spreadOf([1000, 1100, 1050, 990]), spreadOf([9000, 9100, 9050, 9020]), {
        ...OPTS,
        confidence: 0.9,
      }).verdict,
    ).toBe("regression");
    expect(judgeChange(metric("restoreMs"), spreadOf([1000]), spreadOf([9000]), STRICT)).toMatchObject({
      verdict: "regression",
    });
    expect(judgeChange(metric("restoreMs"), three, spreadOf([1050, 9000, 9100]), STRICT).why).toMatch(
      /within the runs' min–max \(--strict/,
    );
  });

  it("reads rates the other way round, and their absolute minimum through the time they stand for", () => {
    const src = { base: 50e6, next: 50e6 };
    const r = (...xs: number[]) => spreadOf(xs);
    expect(
      judgeChange(
        metric("backupThroughputBps"),
        r(20e6, 21e6, 19e6, 20.5e6, 19.5e6),
        r(10e6, 10.2e6, 9.9e6, 10.1e6, 9.8e6),
        OPTS,
        src,
      ),
    ).toMatchObject({ verdict: "regression", changePct: -50 });
    // 50 MB at 60 -> 40 MB/s is 0.83 s -> 1.25 s: under the 1 s minimum
    expect(
      judgeChange(
        metric("restoreThroughputBps"),
        r(60e6, 61e6, 59e6, 60.5e6, 59.5e6),
        r(40e6, 41e6, 39e6, 40.5e6, 39.5e6),
        OPTS,
        src,
      ).why,
    ).toMatch(/\(417 ms in time\): under the minimum effect \(10% and 1 s of the time it stands for\)/);
  });

  it("sizes are judged by their change alone, single runs included; nothing measured is not compared", () => {
    expect(judgeChange(metric("repoBytes"), spreadOf([35e6]), spreadOf([70e6]), OPTS)).toMatchObject({
      verdict: "regression",
      why: "worse by 100% (35.0 MB)",
    });
    expect(judgeChange(metric("repoBytes"), spreadOf([3e6]), spreadOf([3.5e6]), OPTS).why).toMatch(
      /\(500 KB\): under the minimum effect \(10% and 1.00 MB\)/,
    );
    expect(judgeChange(metric("rtoMs"), null, spreadOf([1]), OPTS)).toMatchObject({
      verdict: "not-compared",
      why: "not measured in base",
    });
    expect(judgeChange(metric("downtimeMs"), spreadOf([0]), spreadOf([0]), OPTS).verdict).toBe("unchanged");
  });

  it("every judged metric has an effect kind (its noise and its minimum effect)", () => {
    for (const m of JUDGED_METRICS) expect(m.effect, m.key).toMatch(/^(time|rate|bytes|memory)$/);
  });
});

describe("comparing two run folders' results", () => {
  const base = resultsFile(repeats(NOISE_A));

  it("two ordinary sets of 5 runs: exit 0, every metric within noise", () => {
    const c = compareResults(base, resultsFile(repeats(NOISE_B)), OPTS);
    expect(c).toMatchObject({ exitCode: EXIT.ok, regressions: 0, improvements: 0, notJudged: 0, common: 1 });
    const verdicts = new Set(c.groups[0]!.metrics.filter((m) => m.base).map((m) => m.verdict));
    expect([...verdicts].every((v) => v === "noise" || v === "unchanged")).toBe(true);
    expect(renderComparisonMarkdown(c)).toMatch(/^## drdrill compare: ✅ \*\*No regression\*\* \(exit 0\)/);
  });

  it("a restore 3 s slower on one side: restore time, its rate and RTO flagged, nothing else; exit 5", () => {
    const c = compareResults(base, slowRestore(resultsFile(repeats(NOISE_B)), 3000), OPTS);
    expect(c.exitCode).toBe(EXIT.regression);
    const flagged = c.groups[0]!.metrics.filter((m) => m.verdict === "regression").map((m) => m.kind.key);
    expect(flagged.sort()).toEqual(["restoreMs", "restoreThroughputBps", "rtoMs"]);
    const md = renderComparisonMarkdown(c, { base: "runs/main", next: "runs/pr" });
    expect(md).toMatch(/^## drdrill compare: ❌ \*\*3 regressions\*\* \(exit 5\)/);
    expect(md).toContain("Base `runs/main`");
    expect(md).toContain("Mann-Whitney U");
    expect(md).toMatch(
      /\| seed-drill · duplicity [^|]+ \| restore time \| [\d.]+ s <sub>[\d.]+ s–[\d.]+ s, n=5<\/sub> \|/,
    );
  });

  it("single runs: no timing claimed, a line says why; sizes still judged", () => {
    const one = compareResults(
      resultsFile([run()]),
      resultsFile([run({ metrics: { restoreMs: 9780, rtoMs: 12000, repoBytes: 70e6 } })]),
      OPTS,
    );
    const verdict = (k: string) => one.groups[0]!.metrics.find((m) => m.kind.key === k)!.verdict;
    expect(verdict("restoreMs")).toBe("not-judged");
    expect(verdict("repoBytes")).toBe("regression");
    expect(one.exitCode).toBe(EXIT.regression);
    const md = renderComparisonMarkdown(one);
    expect(md).toContain("**Times, rates and memory were not judged** for 1 drill (1 vs 1 runs)");
    expect(md).toContain("Judged there: outcomes, objectives, recovery point and sizes");
    expect(md).toContain("`--strict`");
    // the timing alone: exit 0, yet the line says nothing was judged
    const timing = compareResults(resultsFile([run()]), resultsFile([run({ metrics: { restoreMs: 9780 } })]), OPTS);
    expect(timing.exitCode).toBe(EXIT.ok);
    expect(
      compareResults(resultsFile([run()]), resultsFile([run({ metrics: { restoreMs: 9780 } })]), STRICT).exitCode,
    ).toBe(EXIT.regression);
  });

  it("each thing that got worse has its exit code: failed 1, could not run 3, objective 4, older point 5", () => {
    const before = resultsFile([run()]);
    const failed = compareResults(before, resultsFile([run({ outcome: "silent-corruption", passed: false })]), OPTS);
    expect(failed.exitCode).toBe(EXIT.failed);
    expect(renderComparisonMarkdown(failed)).toContain("### What got worse");
    const objective = compareResults(
      before,
      resultsFile([
        run({ passed: false, objectives: [{ metric: "rtoMs", threshold: "< 1s", value: 1676, passed: false }] }),
      ]),
      OPTS,
    );
    expect(objective.exitCode).toBe(EXIT.objective);
    expect(objective.groups[0]!.findings[0]!.text).toMatch(
      /missed an objective in 1\/1 runs, 0\/1 before \(rtoMs in 1\/1/,
    );
    const env = compareResults(
      before,
      resultsFile([run({ outcome: "error", passed: false, reason: "no docker" })]),
      OPTS,
    );
    expect(env.exitCode).toBe(EXIT.environment);
    const older = structuredClone(run());
    older.recoveryPoint.backup = { ...older.recoveryPoint.backup!, number: 1, of: 3 };
    const newest = structuredClone(run());
    newest.recoveryPoint.backup = { ...newest.recoveryPoint.backup!, number: 3, of: 3 };
    const point = compareResults(resultsFile([newest]), resultsFile([older]), OPTS);
    expect(point.exitCode).toBe(EXIT.regression);
    expect(point.groups[0]!.findings[0]!.text).toBe(
      "recovery point: restored 2 backups behind the newest (median), before the newest backup",
    );
  });

  it("nothing in common is exit 2, naming what each side holds", () => {
    const other = run({
      scenario: "compare-tools",
      group: "compare-tools :: restic",
      label: "restic",
      tool: "restic",
      settings: {},
    });
    const c = compareResults(resultsFile([run()]), resultsFile([other]), OPTS);
    expect(c).toMatchObject({ exitCode: EXIT.input, common: 0 });
    const md = renderComparisonMarkdown(c);
    expect(md).toMatch(/^## drdrill compare: ⛔ \*\*Nothing in common\*\* \(exit 2\)/);
    expect(md).toContain("- seed-drill · duplicity encryption=gpg-symmetric volsize=200 compression=default (1 run)");
    expect(md).toContain("- compare-tools · restic (1 run)");
  });

  it("a drill on one side only is listed; --require-all fails on it", () => {
    const other = run({ group: "seed-drill :: restic", label: "restic", tool: "restic", settings: {} });
    const c = compareResults(resultsFile([run()]), resultsFile([run(), other]), OPTS);
    expect(c.groups.map((g) => g.presence)).toEqual(["both", "new-only"]);
    expect(c.exitCode).toBe(EXIT.ok);
    expect(renderComparisonMarkdown(c)).toContain("seed-drill · restic: only in new (1 run)");
    expect(
      compareResults(resultsFile([run()]), resultsFile([run(), other]), { ...OPTS, requireAll: true }).exitCode,
    ).toBe(EXIT.input);
  });

  it("matches runs by the settings that differ from the defaults, not by the label's words", () => {
    const a = run({ tool: "restic", label: "restic", settings: { compression: "auto", passphrase: { env: "A" } } });
    const b = run({ tool: "restic", label: "restic compression=auto", settings: { compression: "auto" } });
    const c = run({ tool: "restic", label: "restic compression=max", settings: { compression: "max" } });
    expect(matchKey(a)).toBe(matchKey(b));
    expect(matchKey(a)).not.toBe(matchKey(c));
  });

  it("--metrics gates only the metrics named: the others are shown, not counted", () => {
    const slow = slowRestore(resultsFile(repeats(NOISE_B)), 3000);
    const c = compareResults(base, slow, { ...OPTS, gated: ["repoBytes", "backupMs"] });
    expect(c.exitCode).toBe(EXIT.ok);
    expect(renderComparisonMarkdown(c)).toContain("❌ regression (not gated)");
    expect(compareResults(base, slow, { ...OPTS, gated: ["rtoMs"] })).toMatchObject({
      exitCode: EXIT.regression,
      regressions: 1,
    });
  });
});

describe("drdrill compare BASE NEW", () => {
  async function folder(dir: string, file: ResultsFile): Promise<string> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "results.json"), JSON.stringify(file));
    return dir;
  }

  it("exits 5 on a regression, 0 otherwise, and writes --out", async () => {
    const d = await tmp();
    const base = resultsFile(repeats(NOISE_A));
    const a = await folder(join(d, "a"), base);
    const b = await folder(join(d, "b"), resultsFile(repeats(NOISE_B)));
    const slow = await folder(join(d, "slow"), slowRestore(base, 3000));
    let printed = "";
    expect(await compareCommand(a, b, {}, (s) => (printed += s))).toBe(0);
    expect(printed).toContain("No regression");
    const out = join(d, "comment.md");
    expect(await compareCommand(a, slow, { out, threshold: "25%", minChange: "2s" }, () => {})).toBe(5);
    expect(await readFile(out, "utf8")).toContain("time 25% and 2 s");
    expect(await compareCommand(a, slow, { metrics: "repoSize,backupTime" }, () => {})).toBe(0);
    expect(await compareCommand(a, slow, { threshold: "time=300%" }, () => {})).toBe(5); // the rate still counts
    expect(await compareCommand(a, slow, { threshold: "time=300%,rate=99%" }, () => {})).toBe(0);
  });

  it("bad input is exit 2 (an InputError naming every problem)", async () => {
    const d = await tmp();
    const newer = await folder(join(d, "newer"), { ...resultsFile([run()]), schemaVersion: 99 });
    const err = await compareCommand(
      join(d, "missing"),
      newer,
      { threshold: "lots", minChange: "bytes=huge", confidence: "100%", metrics: "rto,speed" },
      () => {},
    ).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    const text = (err as InputError).issues.map((i) => `${i.path}: ${i.message}`).join("\n");
    expect(text).toContain('--threshold: "lots" is not a percentage');
    expect(text).toContain('--min-change: "bytes=huge" is not a size (e.g. 1MB)');
    expect(text).toContain('--confidence: "100%" is not a confidence');
    expect(text).toMatch(/--metrics: unknown: speed; the metrics compare judges: rto, rpo, /);
    expect(text).toContain("not found: is this a drdrill run folder?");
    expect(text).toContain("schemaVersion: version 99 is newer than this drdrill understands (1)");
    expect(parsePercent("12.5%")).toBe(12.5);
  });
});

// --jobs: runs of one invocation going at once (fake tool and target, the real invocation and
// reporters): every run passes, results.json keeps plan order and says how many went at once, the
// journal's events each name their run, the progress lines say which run they are about, the
// report warns that the timings are not comparable; a target that cannot share goes alone.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLineProgress } from "../../harness/cli/progress.ts";
import { runInvocation } from "../../harness/runner/invocation.ts";
import { planRuns } from "../../harness/runner/plan.ts";
import { parseScenario } from "../../harness/scenario/load.ts";
import { withPlugins } from "../../harness/scenario/registries.ts";
import { resolveReporters } from "../../reports/registry.ts";
import { fakeTarget } from "../fixtures/runner/fake-target.ts";
import { fakeTool } from "../fixtures/runner/fake-tool.ts";
import { tmp } from "../helpers/tmp.ts";

const SCENARIO = `name: jobs
repeat: 4
tools: [fake]
steps:
  - backup: full
  - load: 200ms
  - fault: { delete-path: { path: . } }
  - restore: latest
  - verify: [files, services]
`;

async function invoke(jobs: number, parallel: boolean) {
  const outDir = await tmp();
  const registries = withPlugins({
    targets: { fake: fakeTarget({ stopped: 0, parallel }) },
    tools: { fake: fakeTool({}) },
  });
  const loaded = parseScenario("jobs.yaml", SCENARIO, { registries, overrides: { target: "fake" } });
  const plans = planRuns([loaded]);
  const stream = new PassThrough();
  let lines = "";
  stream.on("data", (d) => (lines += String(d)));
  const results = await runInvocation({
    argv: ["run", "jobs.yaml", "--jobs", String(jobs)],
    scenarios: [loaded],
    plans,
    outDir,
    reporters: await resolveReporters([]),
    progress: createLineProgress(stream),
    signal: new AbortController().signal,
    jobs,
  });
  const journal = (await readFile(join(outDir, "journal.jsonl"), "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  return { results, journal, lines, report: await readFile(join(outDir, "report.md"), "utf8") };
}

describe("--jobs", () => {
  it(
    "runs go at once where the target allows: all pass, in plan order, the journal and the progress say whose " +
      "each line is",
    async () => {
      const { results, journal, lines, report } = await invoke(2, true);
      expect(results.results.map((r) => [r.index, r.outcome])).toEqual([
        [0, "recovered"],
        [1, "recovered"],
        [2, "recovered"],
        [3, "recovered"],
      ]);
      expect(results.parallelJobs).toBe(2);
      // Two runs overlapped: the second started before the first ended.
      const at = (type: string, run: number) => journal.findIndex((e) => e.type === type && e.run === run);
      expect(at("run-start", 1)).toBeLessThan(at("run-end", 0));
      // Every event of a run is stamped with it, from its start to its end.
      for (const run of [0, 1, 2, 3]) {
        const own = journal.filter((e) => e.run === run).map((e) => e.type);
        expect(own[0]).toBe("run-start");
        expect(own.at(-1)).toBe("run-end");
        expect(own.filter((t) => t === "tool-call")).toHaveLength(2);
      }
      expect(lines).toMatch(/^ {2}\[2\/4\] backup \(full\): done in/m);
      expect(lines).toMatch(/^ {2}\[1\/4\] => recovered/m);
      expect(report).toContain("> Up to 2 runs went at once (--jobs 2)");
      expect(report).toContain("not comparable with those of runs made one at a time");
    },
  );

  it("a target that cannot share the machine runs one at a time, whatever --jobs says", async () => {
    const { results, journal, report } = await invoke(3, false);
    expect(results.parallelJobs).toBe(1);
    const starts = journal.filter((e) => e.type === "run-start").map((e) => journal.indexOf(e));
    const ends = journal.filter((e) => e.type === "run-end").map((e) => journal.indexOf(e));
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThan(ends[i - 1]!);
    expect(report).not.toContain("runs went at once");
  });
});

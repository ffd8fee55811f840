// drdrill's GitHub Action (action.yml) with the real drdrill, its run steps run as GitHub's runner would
// (test/helpers/composite-action.ts), in a job's workspace holding a tiny scenario on the local target:
// the drill recovers with tar+zstd, the outputs name the outcome and the report, the run folder to upload
// holds the report, JUnit and the evidence bundle; a second run compares with the first's folder. The
// tools are this machine's (install-tools: false; the unit test sees the action call ci/setup.sh tools).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, readJson } from "../helpers/cli.ts";
import { runCompositeAction } from "../helpers/composite-action.ts";
import { tmp } from "../helpers/tmp.ts";

const scenario = (data: string) => `name: tiny
dataset: { copyFrom: ${data} }
tools: [tar-zstd]
steps:
  - backup: full
  - fault: { delete-path: { path: . } }
  - restore: latest
  - verify: [files]
expect: recovered
`;

describe("drdrill's GitHub Action, with the real drdrill", () => {
  it("runs a tiny drill: outcome passed, the report's path, the run folder to upload; then compares", async () => {
    const ws = await tmp("drdrill-action-");
    mkdirSync(join(ws, "data/etc"), { recursive: true });
    mkdirSync(join(ws, "scenarios"));
    writeFileSync(join(ws, "data/etc/app.conf"), "port = 8080\n".repeat(500));
    writeFileSync(join(ws, "data/rows.txt"), "row\n".repeat(5000));
    writeFileSync(join(ws, "scenarios/tiny.yaml"), scenario(join(ws, "data")));
    const summary = join(ws, "summary.md");
    const env = {
      ...(process.env as Record<string, string>),
      DRDRILL_PROGRESS: "lines",
      DRDRILL_FROM_SOURCE: "1",
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: ws,
    };
    const action = (inputs: Record<string, string>) =>
      runCompositeAction({
        actionPath: ROOT,
        inputs: { scenarios: "scenarios/tiny.yaml", "install-tools": "false", ...inputs },
        cwd: ws,
        temp: mkdtempSync(join(ws, ".action-")),
        env,
        github: { token: "", event: { repository: { default_branch: "main" } } },
      });
    const out = (r: ReturnType<typeof action>) => r.steps.map((s) => s.out ?? "").join("");

    const first = action({ tool: "tar-zstd", evidence: "true", out: "first" });
    expect(first.code, out(first)).toBe(0);
    expect(first.outputs).toEqual({
      outcome: "passed",
      "exit-code": "0",
      report: join(ws, "first/report.md"),
      folder: join(ws, "first"),
    });
    const results = await readJson(join(ws, "first/results.json"));
    expect(results.results.map((r: any) => [r.tool, r.outcome])).toEqual([["tar-zstd", "recovered"]]);
    const files = readdirSync(join(ws, "first"));
    expect(files).toEqual(expect.arrayContaining(["report.md", "junit.xml", "results.json", "index.html"]));
    expect(files.some((f) => /^evidence-.*\.tar\.gz$/.test(f))).toBe(true);
    expect(first.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!.with).toMatchObject({
      path: "first",
      name: "dr-drill-report",
    });
    expect(first.env.DRDRILL_OUTCOME).toBe("passed");
    expect(readFileSync(summary, "utf8")).toContain("Not compared: no baseline was asked for.");

    const second = action({ baseline: "first", out: "second" });
    expect(["passed", "regression"], out(second)).toContain(second.outputs.outcome);
    expect(readFileSync(join(ws, "second/summary.md"), "utf8")).toMatch(/`drdrill compare` exit \d/);
    expect(readdirSync(join(ws, "second"))).toContain("regression.md");
  });
});

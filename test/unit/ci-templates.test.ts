// The CI templates users copy (ci/templates): each sharded one is valid YAML with a plan, one job per
// shard and a merge that publishes and compares, on a schedule; each shard's own shell, run with the
// variables its engine sets and a stand-in for npx, runs `drdrill run --shard I/N` for the right I,
// fails when drdrill could not run (2, 3) and not when a drill failed (1, 4: the merge judges). The
// one-runner templates' shell (ci/templates/drdrill-gate.sh) is run step by step as the engine would,
// with its variables, a stored baseline behind a stand-in `gh` or `curl`, and the real `drdrill compare`:
// it fetches the baseline, compares, writes the summary, and exits 5 on a regression, 1 on a failed
// drill, and the run's own code with no baseline (saying so).
import { execFileSync, spawnSync } from "node:child_process";
import { chmod, cp, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import type { ResultsFile } from "../../harness/model/results-file.ts";
import { renderMarkdown } from "../../reports/markdown.ts";
import { ROOT } from "../helpers/cli.ts";
import { tmp } from "../helpers/tmp.ts";
import { repeats, resultsFile, slowRestore } from "./report-fixture.ts";

const read = (name: string) => readFile(join("ci/templates", name), "utf8");

/** Runs a shard's shell with `npx` standing in for drdrill: what it was called with, and the exit. */
async function runShell(script: string, env: Record<string, string>, npxExit: number) {
  const dir = await tmp();
  await writeFile(join(dir, "npx"), `#!/bin/sh\necho "$@" >> "${dir}/calls"\nexit ${npxExit}\n`);
  await chmod(join(dir, "npx"), 0o755);
  const r = spawnSync("sh", ["-c", script], {
    cwd: dir,
    env: { PATH: `${dir}:${process.env.PATH}`, ...env },
    encoding: "utf8",
  });
  const calls = await readFile(join(dir, "calls"), "utf8").catch(() => "");
  return { code: r.status, calls: calls.trim() };
}

describe("CI templates", () => {
  it(
    "GitHub Actions: plan -> a matrix of shards from " + "its output -> merge, compare, publish; on a schedule",
    async () => {
      const wf = parse(await read("github-actions-sharded.yml"));
      expect(wf.on.schedule[0].cron).toMatch(/^[\d*]+ [\d*]+ [\d*]+ [\d*]+ [\d*]+$/);
      expect(wf.jobs.plan.steps.map((s: any) => s.run ?? "").join("\n")).toMatch(
        /drdrill plan "\$SCENARIOS" --shards "\$SHARDS" \$durations --json/,
      );
      expect(wf.jobs.shard.strategy.matrix.shard).toBe("${{ fromJSON(needs.plan.outputs.shards) }}");
      const merge = wf.jobs.merge.steps.map((s: any) => `${s.uses ?? ""} ${s.run ?? ""}`).join("\n");
      for (const want of [
        /drdrill merge shards\/\* --out drill-report/,
        /drdrill-gate\.sh judge/,
        /drdrill report drill-report --evidence/,
        /junit/,
        /upload-artifact/,
      ])
        expect(merge).toMatch(want);
      const step = wf.jobs.shard.steps
        .find((s: any) => /drdrill run/.test(s.run ?? ""))
        .run.replaceAll("${{ matrix.shard }}", "2");
      expect(await runShell(step, { SHARDS: "3", SCENARIOS: "scenarios/" }, 1)).toEqual({
        code: 0,
        calls: "drdrill run scenarios/ --shard 2/3 --out shard-2",
      });
      expect((await runShell(step, { SHARDS: "3", SCENARIOS: "scenarios/" }, 4)).code).toBe(0);
      expect((await runShell(step, { SHARDS: "3", SCENARIOS: "scenarios/" }, 3)).code).not.toBe(0);
    },
  );

  it(
    "Kubernetes: an Indexed Job whose pod index becomes " + "--shard index+1/N, a merge Job, a CronJob driving both",
    async () => {
      const docs = parseAllDocuments(await read("kubernetes-indexed-job.yaml")).map((d) => d.toJS());
      const cron = docs.find((d) => d.kind === "CronJob");
      expect(cron.spec.schedule).toMatch(/^[\d*]+ [\d*]+ [\d*]+ [\d*]+ [\d*]+$/);
      const jobs = docs.find((d) => d.kind === "ConfigMap").data;
      const shards = parse(jobs["shards.yaml"]);
      expect(shards.spec).toMatchObject({ completionMode: "Indexed", completions: 3, parallelism: 3 });
      const pod = shards.spec.template.spec.containers[0];
      expect(pod.env.find((e: any) => e.name === "SHARDS").value).toBe(String(shards.spec.completions));
      const run = await runShell(pod.args[0], { JOB_COMPLETION_INDEX: "0", SHARDS: "3" }, 0);
      expect(run).toEqual({ code: 0, calls: "drdrill run scenarios/ --shard 1/3 --out /runs/@RUN@/shard-1" });
      expect((await runShell(pod.args[0], { JOB_COMPLETION_INDEX: "2", SHARDS: "3" }, 2)).code).not.toBe(0);
      expect((await runShell(pod.args[0], { JOB_COMPLETION_INDEX: "2", SHARDS: "3" }, 4)).code).toBe(0);
      expect(parse(jobs["merge.yaml"]).spec.template.spec.containers[0].args[0]).toMatch(
        /drdrill merge shard-\* --out merged[\s\S]*DRDRILL_BASELINE=\/runs\/baseline\n[^\n]*drdrill-gate\.sh judge/,
      );
      expect(cron.spec.jobTemplate.spec.template.spec.containers[0].args[0]).toMatch(/shards\.yaml[\s\S]*merge\.yaml/);
    },
  );

  it(
    "GitLab: parallel: N, CI_NODE_INDEX/CI_NODE_TOTAL as --shard, a merge with its JUnit report; schedules in " +
      "the rules",
    async () => {
      const ci = parse(await read("gitlab-ci-sharded.yml"));
      expect(ci[".dr-drill-rules"].rules.map((r: any) => r.if)).toContain('$CI_PIPELINE_SOURCE == "schedule"');
      expect(ci["dr-drill"].parallel).toBe(3);
      expect(ci["dr-drill-plan"].script.join("\n")).toContain(`--shards ${ci["dr-drill"].parallel}`);
      expect(ci["dr-drill-merge"].artifacts.reports.junit).toBe("drill-report/junit.xml");
      expect(ci["dr-drill-merge"].script.join("\n")).toMatch(
        /drdrill merge shard-\* --out drill-report[\s\S]*drdrill-gate\.sh judge/,
      );
      const script = ci["dr-drill"].script.filter((l: string) => !/npm ci|setup\.sh/.test(l)).join("\n");
      expect(await runShell(script, { CI_NODE_INDEX: "3", CI_NODE_TOTAL: "3", SCENARIOS: "scenarios/" }, 1)).toEqual({
        code: 0,
        calls: "drdrill run scenarios/ --shard 3/3 --out shard-3",
      });
      const env = { CI_NODE_INDEX: "3", CI_NODE_TOTAL: "3", SCENARIOS: "scenarios/" };
      expect((await runShell(script, env, 4)).code).toBe(0);
      expect((await runShell(script, env, 3)).code).not.toBe(0);
    },
  );

  it("the CLI takes the shard arguments the templates give it", () => {
    const out = execFileSync(
      process.execPath,
      ["bin/drdrill.js", "plan", "scenarios/seed", "--shards", "3", "--json"],
      { encoding: "utf8" },
    );
    expect(JSON.parse(out).shards).toHaveLength(3);
  });
});

/** A run folder as `drdrill run` leaves it: results.json and report.md. */
async function runFolder(dir: string, file: ResultsFile): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "results.json"), JSON.stringify(file));
  await writeFile(join(dir, "report.md"), renderMarkdown(file));
  return dir;
}

const STORED = {
  base: resultsFile(repeats([0.92, 1, 1.1, 0.97, 1.04])),
  same: resultsFile(repeats([1.05, 0.95, 1.08, 0.99, 1.02])),
  slow: slowRestore(resultsFile(repeats([1.05, 0.95, 1.08, 0.99, 1.02])), 3000),
  failed: resultsFile(repeats([1.05, 0.95, 1.08, 0.99, 1.02]).map((r) => ({ ...r, outcome: "failed", passed: false }))),
};

/**
 * A job's workspace: drdrill installed (node_modules/drdrill, this checkout), `npx drdrill run` standing
 * in for the drills (it leaves `head` as the run folder, with its exit code), `npx drdrill compare` the
 * real one; `gh` and `curl` serve `baseline` (or nothing) as GitHub's artifact and GitLab's API would.
 */
async function workspace(head: ResultsFile, baseline: ResultsFile | null) {
  const dir = await tmp();
  await mkdir(join(dir, "node_modules"));
  await symlink(ROOT, join(dir, "node_modules", "drdrill"));
  const stored = await runFolder(join(dir, ".stored", "head"), head);
  const bin = join(dir, ".bin");
  await mkdir(bin);
  const log = join(dir, ".calls");
  const script = (name: string, body: string) =>
    writeFile(join(bin, name), `#!/bin/bash\necho "${name} $*" >> "${log}"\n${body}\n`, { mode: 0o755 });
  await script(
    "npx",
    `shift; if [ "$1" = run ]; then out=$(sed -E 's/.*--out ([^ ]+).*/\\1/' <<<"$*"); mkdir -p "$out"; ` +
      `cp -r "${stored}/." "$out/"; exit ${head.exitCode}; fi\n` +
      `exec "${process.execPath}" "${ROOT}/bin/drdrill.js" "$@"`,
  );
  let artifact = "";
  if (baseline) {
    artifact = await runFolder(join(dir, ".stored", "artifact"), baseline);
    // GitLab's API answers with a zip of the job's paths: drill-report/...
    await mkdir(join(dir, ".stored", "zip"));
    await cp(artifact, join(dir, ".stored", "zip", "drill-report"), { recursive: true });
    execFileSync("python3", ["-m", "zipfile", "-c", join(dir, ".stored", "a.zip"), "drill-report"], {
      cwd: join(dir, ".stored", "zip"),
    });
  }
  await script(
    "gh",
    `case "$1 $2" in\n"run list") echo "${baseline ? "4242" : ""}" ;;\n` +
      `"run download") d=$(sed -E 's/.*--dir ([^ ]+).*/\\1/' <<<"$*"); ` +
      `mkdir -p "$d"; cp -r "${artifact}/." "$d/" ;;\n` +
      `*) exit 1 ;;\nesac`,
  );
  await script(
    "curl",
    baseline
      ? `o=$(sed -E 's/.* -o ([^ ]+).*/\\1/' <<<"$*"); cp "${dir}/.stored/a.zip" "$o"`
      : `echo "curl: (22) The requested URL returned error: 404" >&2; exit 22`,
  );
  return { dir, bin, calls: async () => (await readFile(log, "utf8")).trim().split("\n") };
}

/** Runs shell lines as the engine would (bash, stopping at the first failing line), in the workspace. */
function shell(ws: { dir: string; bin: string }, lines: string, env: Record<string, string>) {
  const r = spawnSync("bash", ["-eo", "pipefail", "-c", lines], {
    cwd: ws.dir,
    env: { PATH: `${ws.bin}:${process.env.PATH}`, HOME: ws.dir, ...env },
    encoding: "utf8",
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("the one-runner templates' gate (ci/templates/drdrill-gate.sh)", () => {
  /** The GitHub workflow's steps that run shell, in order, each with its own env over the workflow's. */
  async function githubJob(ws: Awaited<ReturnType<typeof workspace>>, summary: string) {
    const wf = parse(await read("github-actions.yml"));
    const steps = wf.jobs.drill.steps as { run?: string; uses?: string; env?: Record<string, string>; if?: string }[];
    for (const u of ["mikepenz/action-junit-report", "actions/upload-artifact"])
      expect(steps.find((s) => s.uses?.startsWith(u))?.if, u).toBe("always()");
    expect(wf.permissions).toMatchObject({ actions: "read", checks: "write" });
    const gh = {
      GITHUB_ACTIONS: "true",
      GITHUB_REPOSITORY: "acme/dr",
      GITHUB_WORKFLOW: "dr-drill",
      GITHUB_WORKFLOW_REF: "acme/dr/.github/workflows/dr-drill.yml@refs/pull/7/merge",
      GITHUB_REF_NAME: "7/merge",
      GITHUB_STEP_SUMMARY: summary,
    };
    const expr = (v: string) =>
      v.replace("${{ github.token }}", "t0ken").replace("${{ github.event.repository.default_branch }}", "main");
    let last = { code: 0 as number | null, out: "" };
    let out = "";
    for (const step of steps.filter((s) => s.run && !/npm ci|setup\.sh/.test(s.run))) {
      expect(step.run).not.toContain("${{"); // values come in through env, where the engine puts them
      const env = Object.fromEntries(
        Object.entries({ ...wf.env, ...step.env }).map(([k, v]) => [k, expr(String(v))]),
      ) as Record<string, string>;
      last = shell(ws, step.run!, { ...gh, ...env });
      out += last.out;
      if (last.code !== 0) break;
    }
    return { code: last.code, out, summary: await readFile(summary, "utf8").catch(() => "") };
  }

  it("GitHub: fetches the default branch's last good run, compares, writes the summary; a regression: 5", async () => {
    const ws = await workspace(STORED.slow, STORED.base);
    const job = await githubJob(ws, join(ws.dir, "summary.md"));
    expect(job.code, job.out).toBe(5);
    const calls = await ws.calls();
    expect(calls).toContainEqual(
      expect.stringMatching(
        /^gh run list --repo acme\/dr --workflow dr-drill\.yml --branch main --status success --limit 1 /,
      ),
    );
    expect(calls).toContain("gh run download 4242 --repo acme/dr --name dr-drill-report --dir baseline");
    expect(calls).toContainEqual(
      expect.stringMatching(/^npx drdrill compare baseline drill-report --out drill-report\/regression\.md/),
    );
    expect(job.summary).toMatch(/^# drdrill: ❌ regression against the last good run \(exit 5\)/);
    expect(job.summary).toContain("### drdrill compare: ❌ **3 regressions** (exit 5)");
    expect(job.summary).toContain("<details><summary>The run's report</summary>");
    expect(await readFile(join(ws.dir, "drill-report", "summary.md"), "utf8")).toBe(job.summary);
  }, 60_000);

  it("GitHub: no good run on the default branch yet: the run's own exit, and the summary says why", async () => {
    const ws = await workspace(STORED.same, null);
    const job = await githubJob(ws, join(ws.dir, "summary.md"));
    expect(job.code, job.out).toBe(0);
    expect(job.out).toContain("no successful run of dr-drill.yml on main yet: no baseline");
    expect(job.summary).toContain("No baseline: no good run of the default branch to compare with yet");
    expect((await ws.calls()).some((c) => c.startsWith("npx drdrill compare"))).toBe(false);
  }, 60_000);

  it("GitHub: a failed drill is exit 1, over the comparison's own verdict", async () => {
    const ws = await workspace(STORED.failed, STORED.base);
    const job = await githubJob(ws, join(ws.dir, "summary.md"));
    expect(job.code, job.out).toBe(1);
    expect(job.summary).toMatch(/^# drdrill: ❌ a drill failed its expectation \(exit 1\)/);
    expect(job.summary).toContain("`drdrill run` exit 1, `drdrill compare` exit 1.");
  }, 60_000);

  it("GitLab: the newest successful pipeline's artifacts through the job API with CI_JOB_TOKEN; exit 5", async () => {
    const ws = await workspace(STORED.slow, STORED.base);
    const ci = parse(await read("gitlab-ci.yml"));
    const job = ci["dr-drill"];
    expect(job.artifacts).toMatchObject({ when: "always", reports: { junit: "drill-report/junit.xml" } });
    const lines = (job.script as string[]).filter((l) => !/npm ci|setup\.sh/.test(l)).join("\n");
    const r = shell(ws, lines, {
      ...job.variables,
      DRDRILL_PASSPHRASE: "x",
      GITLAB_CI: "true",
      CI_API_V4_URL: "https://gitlab.example/api/v4",
      CI_PROJECT_ID: "12",
      CI_DEFAULT_BRANCH: "main",
      CI_JOB_NAME: "dr-drill",
      CI_JOB_TOKEN: "t0ken",
    });
    expect(r.code, r.out).toBe(5);
    expect(await ws.calls()).toContain(
      "curl --fail --silent --show-error --location --header JOB-TOKEN: t0ken " +
        "https://gitlab.example/api/v4/projects/12/jobs/artifacts/main/download?job=dr-drill -o " +
        (await ws.calls()).find((c) => c.startsWith("curl"))!.split(" -o ")[1],
    );
    expect(r.out).toContain("# drdrill: ❌ regression against the last good run (exit 5)"); // the summary, in the log
  }, 60_000);
});

// The CI templates users copy (ci/templates): each sharded one is valid YAML with a plan, one job per
// shard and a merge that publishes and compares, on a schedule; each shard's own shell, run with the
// variables its engine sets and a stand-in for drdrill, runs `drdrill run --shard I/N` for the right I,
// fails when drdrill could not run (2, 3) and not when a drill failed (1, 4: the merge judges). The GitLab
// and Kubernetes jobs run in drdrill's image (drdrill and drdrill-gate on PATH, nothing installed). The
// GitHub template uses drdrill's action (action.yml), whose steps are run as GitHub's runner would
// (test/helpers/composite-action.ts); the action and the GitLab job call the gate (ci/templates/drdrill-gate.sh)
// with a stored baseline behind a stand-in `gh` or `curl` and the real `drdrill compare`: it fetches the
// baseline, compares, writes the summary, and exits 5 on a regression, 1 on a failed drill, and the run's own
// code with no baseline (saying so); the action's outputs name the outcome and the report.
// The nightly restore-test templates: a daily schedule, the key from a secret to the file the scenario
// names, no baseline, exit 4 when an objective (pointAge) is missed.
import { execFileSync, spawnSync } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import type { ResultsFile } from "../../harness/model/results-file.ts";
import { renderMarkdown } from "../../reports/markdown.ts";
import { ROOT } from "../helpers/cli.ts";
import { runCompositeAction } from "../helpers/composite-action.ts";
import { tmp } from "../helpers/tmp.ts";
import { repeats, resultsFile, slowRestore } from "./report-fixture.ts";

const read = (name: string) => readFile(join("ci/templates", name), "utf8");

/** Runs a shard's shell with stand-ins for `npx` and `drdrill` (the image's): what drdrill got, and the exit. */
async function runShell(script: string, env: Record<string, string>, npxExit: number) {
  const dir = await tmp();
  await writeFile(join(dir, "npx"), `#!/bin/sh\necho "$@" >> "${dir}/calls"\nexit ${npxExit}\n`);
  await writeFile(join(dir, "drdrill"), `#!/bin/sh\necho drdrill "$@" >> "${dir}/calls"\nexit ${npxExit}\n`);
  await chmod(join(dir, "npx"), 0o755);
  await chmod(join(dir, "drdrill"), 0o755);
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
        /drdrill merge shard-\* --out merged[\s\S]*DRDRILL_BASELINE=\/runs\/baseline\n[^\n]*drdrill-gate judge/,
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
        /drdrill merge shard-\* --out drill-report[\s\S]*drdrill-gate judge/,
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
 * A job's workspace. `drdrill` on PATH as the image has it, and drdrill installed in node_modules (npm ci)
 * with its action and gate, its bin calling that same `drdrill` and its ci/setup.sh recording its call:
 * `drdrill run` stands in for the drills (it leaves `head` as the run folder, with its exit code), every
 * other command is the real drdrill (compare); `drdrill-gate` on PATH is ci/templates/drdrill-gate.sh;
 * `gh` and `curl` serve `baseline` (or nothing) as GitHub's artifact and GitLab's API would.
 */
async function workspace(head: ResultsFile, baseline: ResultsFile | null) {
  const dir = await tmp();
  const stored = await runFolder(join(dir, ".stored", "head"), head);
  const bin = join(dir, ".bin");
  await mkdir(bin);
  const log = join(dir, ".calls");
  const script = (name: string, body: string) =>
    writeFile(join(bin, name), `#!/bin/bash\necho "${name} $*" >> "${log}"\n${body}\n`, { mode: 0o755 });
  await script(
    "drdrill",
    `if [ "$1" = run ]; then while [ $# -gt 0 ]; do [ "$1" != --out ] || out=$2; shift; done; mkdir -p "$out"; ` +
      `cp -r "${stored}/." "$out/"; exit ${head.exitCode}; fi\n` +
      `exec "${process.execPath}" "${ROOT}/bin/drdrill.js" "$@"`,
  );
  await symlink(join(ROOT, "ci/templates/drdrill-gate.sh"), join(bin, "drdrill-gate"));
  const pkg = join(dir, "node_modules", "drdrill");
  await mkdir(join(pkg, "bin"), { recursive: true });
  await mkdir(join(pkg, "ci"));
  await symlink(join(ROOT, "action.yml"), join(pkg, "action.yml"));
  await symlink(join(ROOT, "ci/templates"), join(pkg, "ci/templates"));
  await writeFile(join(pkg, "ci/setup.sh"), `echo "setup.sh $*" >> "${log}"\n`);
  await writeFile(join(pkg, "package.json"), '{ "name": "drdrill", "type": "module" }\n');
  await writeFile(
    join(pkg, "bin/drdrill.js"),
    `import { spawnSync } from "node:child_process";\n` +
      `const r = spawnSync(${JSON.stringify(join(bin, "drdrill"))}, process.argv.slice(2), { stdio: "inherit" });\n` +
      `process.exit(r.status ?? 1);\n`,
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
  return {
    dir,
    bin,
    artifact,
    calls: async () => (await readFile(log, "utf8")).trim().split("\n"),
  };
}
type Workspace = Awaited<ReturnType<typeof workspace>>;

/** Runs shell lines as the engine would (bash, stopping at the first failing line), in the workspace. */
function shell(ws: { dir: string; bin: string }, lines: string, env: Record<string, string>) {
  const r = spawnSync("bash", ["-eo", "pipefail", "-c", lines], {
    cwd: ws.dir,
    env: { PATH: `${ws.bin}:${process.env.PATH}`, HOME: ws.dir, ...env },
    encoding: "utf8",
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The environment of a GitHub job in the workspace, and RUNNER_TEMP. */
async function githubEnv(ws: Workspace, summary: string): Promise<Record<string, string>> {
  const temp = join(ws.dir, ".runner-temp");
  await mkdir(temp, { recursive: true });
  return {
    PATH: `${ws.bin}:${process.env.PATH}`,
    HOME: ws.dir,
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: "acme/dr",
    GITHUB_WORKFLOW: "dr-drill",
    GITHUB_WORKFLOW_REF: "acme/dr/.github/workflows/dr-drill.yml@refs/pull/7/merge",
    GITHUB_REF_NAME: "7/merge",
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: temp,
  };
}
const GITHUB = { token: "t0ken", event: { repository: { default_branch: "main" } } };

/** drdrill's action in the workspace (node_modules/drdrill), run step by step as GitHub's runner would. */
async function runAction(ws: Workspace, inputs: Record<string, string>, env: Record<string, string> = {}) {
  const summary = join(ws.dir, "summary.md");
  const temp = await mkdtemp(join(ws.dir, ".action-"));
  const run = runCompositeAction({
    actionPath: join(ws.dir, "node_modules/drdrill"),
    inputs,
    cwd: ws.dir,
    temp,
    env: { ...(await githubEnv(ws, summary)), ...env },
    github: GITHUB,
  });
  return {
    ...run,
    out: run.steps.map((s) => s.out ?? "").join(""),
    summary: await readFile(summary, "utf8").catch(() => ""),
  };
}

describe("drdrill's GitHub Action (action.yml) and the template using it", () => {
  /** The GitHub workflow: npm ci, then drdrill's action with the template's inputs and env. */
  async function githubJob(ws: Workspace) {
    const wf = parse(await read("github-actions.yml"));
    const steps = wf.jobs.drill.steps as {
      run?: string;
      uses?: string;
      env?: Record<string, string>;
      with?: Record<string, unknown>;
      if?: string;
    }[];
    expect(steps.find((s) => s.uses?.startsWith("mikepenz/action-junit-report"))?.if).toBe("always()");
    expect(wf.permissions).toMatchObject({ actions: "read", checks: "write" });
    const action = steps.findIndex((s) => s.uses === "./node_modules/drdrill");
    expect(action).toBeGreaterThan(steps.findIndex((s) => s.run === "npm ci"));
    const step = steps[action]!;
    const env = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([k, v]) => [k, String(v).replace("${{ secrets.DRDRILL_PASSPHRASE }}", "x")]),
    );
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)]));
    const job = await runAction(ws, inputs, env);
    const junit = steps.find((s) => s.uses?.startsWith("mikepenz/action-junit-report"))!.with!.report_paths;
    const upload = job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!.with!;
    expect(junit).toBe(`${upload.path}/junit.xml`); // the folder the action uploads
    return job;
  }

  it("GitHub: fetches the default branch's last good run, compares, writes the summary; a regression: 5", async () => {
    const ws = await workspace(STORED.slow, STORED.base);
    const job = await githubJob(ws);
    expect(job.code, job.out).toBe(5);
    expect(job.outputs).toEqual({
      outcome: "regression",
      "exit-code": "5",
      report: join(ws.dir, "drill-report/report.md"),
      folder: join(ws.dir, "drill-report"),
    });
    expect(job.env).toEqual({ DRDRILL_OUTCOME: "regression", DRDRILL_REPORT: join(ws.dir, "drill-report/report.md") });
    const calls = await ws.calls();
    const base = join(ws.dir, ".runner-temp/drdrill-baseline");
    expect(calls[0]).toBe("setup.sh tools");
    expect(calls).toContainEqual(
      expect.stringMatching(
        /^gh run list --repo acme\/dr --workflow dr-drill\.yml --branch main --status success --limit 1 /,
      ),
    );
    expect(calls).toContain(`gh run download 4242 --repo acme/dr --name dr-drill-report --dir ${base}`);
    expect(calls).toContain("drdrill run scenarios/ --out drill-report --evidence --repeat 5");
    expect(calls).toContainEqual(`drdrill compare ${base} drill-report --out drill-report/regression.md`);
    expect(job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!.with).toMatchObject({
      name: "dr-drill-report",
      path: "drill-report",
    });
    expect(job.out).toContain("::error::drdrill: regression (exit 5)");
    expect(job.summary).toMatch(/^# drdrill: ❌ regression against the last good run \(exit 5\)/);
    expect(job.summary).toContain("### drdrill compare: ❌ **3 regressions** (exit 5)");
    expect(job.summary).toContain("<details><summary>The run's report</summary>");
    expect(await readFile(join(ws.dir, "drill-report", "summary.md"), "utf8")).toBe(job.summary);
  }, 60_000);

  it("GitHub: no good run on the default branch yet: the run's own exit, and the summary says why", async () => {
    const ws = await workspace(STORED.same, null);
    const job = await githubJob(ws);
    expect(job.code, job.out).toBe(0);
    expect(job.outputs.outcome).toBe("passed");
    expect(job.out).toContain("no successful run of dr-drill.yml on main yet: no baseline");
    expect(job.summary).toContain("No baseline: no good run of the default branch to compare with yet");
    expect((await ws.calls()).some((c) => c.startsWith("drdrill compare"))).toBe(false);
  }, 60_000);

  it("GitHub: a failed drill is exit 1, over the comparison's own verdict", async () => {
    const ws = await workspace(STORED.failed, STORED.base);
    const job = await githubJob(ws);
    expect(job.code, job.out).toBe(1);
    expect(job.outputs.outcome).toBe("failed");
    expect(job.summary).toMatch(/^# drdrill: ❌ a drill failed its expectation \(exit 1\)/);
    expect(job.summary).toContain("`drdrill run` exit 1, `drdrill compare` exit 1.");
  }, 60_000);

  it("inputs: tool, a run folder as baseline, no baseline, fail: false, install-tools: false", async () => {
    const ws = await workspace(STORED.failed, STORED.base);
    const r = await runAction(ws, {
      scenarios: "drills/a.yaml drills/b.yaml",
      tool: "restic borg",
      baseline: ws.artifact,
      args: "--size 1MB",
      out: "out dir",
      fail: "false",
      "install-tools": "false",
    });
    expect(r.code, r.out).toBe(0);
    expect(r.outputs).toMatchObject({ outcome: "failed", "exit-code": "1", report: join(ws.dir, "out dir/report.md") });
    const calls = await ws.calls();
    expect(calls).not.toContain("setup.sh tools");
    expect(calls.some((c) => c.startsWith("gh "))).toBe(false);
    expect(calls).toContain(`drdrill compare ${ws.artifact} out dir --out out dir/regression.md`);

    const none = await workspace(STORED.same, null);
    const plain = await runAction(none, { "install-tools": "false" });
    expect(plain.code, plain.out).toBe(0);
    expect(plain.summary).toContain("Not compared: no baseline was asked for.");
    const missing = await runAction(none, { baseline: "nowhere", "install-tools": "false" });
    expect(missing.out).toContain("::warning::drdrill: the baseline nowhere holds no results.json: not compared");
  }, 60_000);

  it("declares the inputs and outputs it is documented with; its run steps are bash", async () => {
    const action = parse(await readFile(join(ROOT, "action.yml"), "utf8"));
    expect(action.runs.using).toBe("composite");
    for (const input of ["scenarios", "tool", "baseline", "evidence", "args"])
      expect(action.inputs).toHaveProperty(input);
    expect(Object.keys(action.outputs)).toEqual(expect.arrayContaining(["outcome", "report"]));
    for (const step of action.runs.steps) if (step.run) expect(step.shell).toBe("bash");
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
    expect(pkg.files).toContain("action.yml"); // uses: ./node_modules/drdrill
  });
});

describe("the GitLab and Kubernetes templates run in drdrill's image", () => {
  it("GitLab: the newest successful pipeline's artifacts through the job API with CI_JOB_TOKEN; exit 5", async () => {
    const ws = await workspace(STORED.slow, STORED.base);
    const ci = parse(await read("gitlab-ci.yml"));
    const job = ci["dr-drill"];
    expect(job.image).toEqual({ name: "$DRDRILL_IMAGE", entrypoint: [""] });
    expect(job.artifacts).toMatchObject({ when: "always", reports: { junit: "drill-report/junit.xml" } });
    const lines = (job.script as string[]).join("\n");
    expect(lines).not.toMatch(/npm|setup\.sh|node_modules/); // all in the image
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
    const calls = await ws.calls();
    expect(calls).toContain(
      "curl --fail --silent --show-error --location --header JOB-TOKEN: t0ken " +
        "https://gitlab.example/api/v4/projects/12/jobs/artifacts/main/download?job=dr-drill -o " +
        calls.find((c) => c.startsWith("curl"))!.split(" -o ")[1],
    );
    expect(calls).toContain("drdrill run scenarios/ --out drill-report --repeat 5 --evidence");
    expect(r.out).toContain("# drdrill: ❌ regression against the last good run (exit 5)"); // the summary, in the log
  }, 60_000);

  it("GitLab sharded and Kubernetes: every drdrill job in the image, nothing installed at run time", async () => {
    const ci = parse(await read("gitlab-ci-sharded.yml"));
    expect(ci[".dr-drill-image"].image).toEqual({ name: "$DRDRILL_IMAGE", entrypoint: [""] });
    for (const name of ["dr-drill-plan", "dr-drill", "dr-drill-merge"]) {
      expect(ci[name].extends).toContain(".dr-drill-image");
      expect(ci[name].script.join("\n")).not.toMatch(/npm|setup\.sh|node_modules|unzip/);
    }
    const docs = parseAllDocuments(await read("kubernetes-indexed-job.yaml")).map((d) => d.toJS());
    const jobs = docs.find((d) => d.kind === "ConfigMap").data;
    for (const file of ["shards.yaml", "merge.yaml"]) {
      const pod = parse(jobs[file]).spec.template.spec.containers[0];
      expect(pod.image).toMatch(/\/drdrill:\d+\.\d+\.\d+$/);
      expect(pod.args[0]).not.toMatch(/npx|node_modules/);
    }
    const shards = parse(jobs["shards.yaml"]).spec.template.spec;
    expect(shards.containers[0].volumeMounts).toContainEqual({
      name: "scenarios",
      mountPath: "/work/scenarios",
      readOnly: true,
    });
    expect(shards.volumes).toContainEqual({ name: "scenarios", configMap: { name: "drdrill-scenarios" } });
  });
});

// The nightly restore test (docs/restore-tests.md): on a schedule, the key that reads the repository
// written from a secret to the file the scenario names, the scenario run with no baseline, the report
// published whatever the verdict, and the verdict the exit: 4 when the newest point is older than pointAge.
describe("the nightly restore-test templates", () => {
  const KEY =
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAtest-key-body\n-----END OPENSSH PRIVATE KEY-----";
  const missed = { ...STORED.same, exitCode: 4 } as ResultsFile;
  const SCENARIO = "scenarios/restore-tests/nightly-sftp.yaml";

  /** The key and known_hosts the scenario names are where the templates write them (keys/ at the root). */
  async function scenarioKeys(): Promise<string[]> {
    const s = parse(await readFile(join(ROOT, SCENARIO), "utf8"));
    return [s.repository.ssh.identityFile, s.repository.ssh.knownHostsFile].map((f: string) =>
      relative(ROOT, resolve(ROOT, "scenarios/restore-tests", f)),
    );
  }

  it("GitHub: nightly cron; the key from a secret to keys/ (mode 600, not shown); no baseline; exit 4", async () => {
    const wf = parse(await read("github-actions-restore-test.yml"));
    expect(wf.on.schedule[0].cron).toMatch(/^\d+ \d+ \* \* \*$/); // every day
    expect(wf.on).toHaveProperty("workflow_dispatch");
    const steps = wf.jobs["restore-test"].steps as any[];
    const ws = await workspace(missed, STORED.base);
    const keyStep = steps.find((s) => /BACKUP_SSH_KEY/.test(s.run ?? ""));
    expect(keyStep.env.BACKUP_SSH_KEY).toBe("${{ secrets.BACKUP_SSH_KEY }}");
    const k = shell(ws, keyStep.run, { BACKUP_SSH_KEY: KEY, BACKUP_KNOWN_HOSTS: "site-b ssh-ed25519 AAAA" });
    expect(k.code, k.out).toBe(0);
    expect(k.out).not.toContain("test-key-body");
    const [keyFile, knownHosts] = await scenarioKeys();
    expect(keyFile).toBe("keys/restore-test");
    expect((await readFile(join(ws.dir, keyFile!), "utf8")).trim()).toBe(KEY);
    expect((await stat(join(ws.dir, keyFile!))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(ws.dir, knownHosts!), "utf8")).toContain("site-b ssh-ed25519");
    const step = steps.find((s) => s.uses === "./node_modules/drdrill");
    expect(step.env.RESTIC_PASSWORD).toBe("${{ secrets.RESTIC_PASSWORD }}");
    const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)]));
    const job = await runAction(ws, inputs, { RESTIC_PASSWORD: "x" });
    expect(job.code, job.out).toBe(4);
    expect(job.outputs.outcome).toBe("objective-missed");
    const calls = await ws.calls();
    expect(calls).toContain(`drdrill run ${SCENARIO} --out drill-report`);
    expect(calls.some((c) => /^gh run|^drdrill compare/.test(c))).toBe(false); // each night on its objectives
    expect(job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact"))!.with).toMatchObject({
      name: "restore-test-report",
      path: "drill-report",
    });
    expect(steps.find((s) => s.uses?.startsWith("mikepenz/action-junit-report")).if).toBe("always()");
  }, 60_000);

  it("GitLab: on its schedule; the key from a File variable; the gate with no baseline; exit 4", async () => {
    const ci = parse(await read("gitlab-ci-restore-test.yml"));
    const job = ci["restore-test"];
    expect(job.rules.map((r: any) => r.if)).toContain(
      '$CI_PIPELINE_SOURCE == "schedule" && $RESTORE_TEST == "nightly"',
    );
    expect(job.artifacts).toMatchObject({ when: "always", paths: ["drill-report"] });
    expect(job.artifacts.reports.junit).toBe("drill-report/junit.xml");
    const ws = await workspace(missed, STORED.base);
    await writeFile(join(ws.dir, ".key-variable"), `${KEY}\n`);
    await writeFile(join(ws.dir, ".kh-variable"), "site-b ssh-ed25519 AAAA\n");
    const r = shell(ws, (job.script as string[]).join("\n"), {
      ...job.variables,
      RESTIC_PASSWORD: "x",
      BACKUP_SSH_KEY: join(ws.dir, ".key-variable"),
      BACKUP_KNOWN_HOSTS: join(ws.dir, ".kh-variable"),
      GITLAB_CI: "true",
      CI_PIPELINE_SOURCE: "schedule",
    });
    expect(r.code, r.out).toBe(4);
    expect(r.out).not.toContain("test-key-body");
    const [keyFile] = await scenarioKeys();
    expect((await stat(join(ws.dir, keyFile!))).mode & 0o777).toBe(0o600);
    const calls = await ws.calls();
    expect(calls).toContain(`drdrill run ${SCENARIO} --out drill-report`);
    expect(calls.some((c) => /^curl|^drdrill compare/.test(c))).toBe(false);
    expect(await readFile(join(ws.dir, "drill-report", "summary.md"), "utf8")).toMatch(/objective/i);
  }, 60_000);
});

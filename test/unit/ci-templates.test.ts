// The CI templates users copy (ci/templates): each is valid YAML with a plan, one job per shard and
// a merge that publishes and compares, on a schedule; and each shard's own shell, run with the
// variables its engine sets and a stand-in for npx, runs `drdrill run --shard I/N` for the right I,
// fails when drdrill could not run (2, 3) and not when a drill failed (1: the merge judges).
import { execFileSync, spawnSync } from "node:child_process";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { tmp } from "../helpers/tmp.ts";

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
  it("GitHub Actions: plan -> a matrix of shards from its output -> merge, compare, publish; on a schedule", async () => {
    const wf = parse(await read("github-actions-sharded.yml"));
    expect(wf.on.schedule[0].cron).toMatch(/^[\d*]+ [\d*]+ [\d*]+ [\d*]+ [\d*]+$/);
    expect(wf.jobs.plan.steps.map((s: any) => s.run ?? "").join("\n")).toMatch(
      /drdrill plan "\$SCENARIOS" --shards "\$SHARDS" \$durations --json/,
    );
    expect(wf.jobs.shard.strategy.matrix.shard).toBe("${{ fromJSON(needs.plan.outputs.shards) }}");
    const merge = wf.jobs.merge.steps.map((s: any) => `${s.uses ?? ""} ${s.run ?? ""}`).join("\n");
    for (const want of [
      /drdrill merge shards\/\* --out drill-report/,
      /drdrill compare baseline drill-report/,
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
    expect((await runShell(step, { SHARDS: "3", SCENARIOS: "scenarios/" }, 3)).code).not.toBe(0);
  });

  it("Kubernetes: an Indexed Job whose pod index becomes --shard index+1/N, a merge Job, a CronJob driving both", async () => {
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
    expect(parse(jobs["merge.yaml"]).spec.template.spec.containers[0].args[0]).toMatch(
      /drdrill merge shard-\* --out merged[\s\S]*drdrill compare \/runs\/baseline merged/,
    );
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].args[0]).toMatch(/shards\.yaml[\s\S]*merge\.yaml/);
  });

  it("GitLab: parallel: N, CI_NODE_INDEX/CI_NODE_TOTAL as --shard, a merge with its JUnit report; schedules in the rules", async () => {
    const ci = parse(await read("gitlab-ci-sharded.yml"));
    expect(ci[".dr-drill-rules"].rules.map((r: any) => r.if)).toContain('$CI_PIPELINE_SOURCE == "schedule"');
    expect(ci["dr-drill"].parallel).toBe(3);
    expect(ci["dr-drill-plan"].script.join("\n")).toContain(`--shards ${ci["dr-drill"].parallel}`);
    expect(ci["dr-drill-merge"].artifacts.reports.junit).toBe("drill-report/junit.xml");
    expect(ci["dr-drill-merge"].script.join("\n")).toMatch(
      /drdrill merge shard-\* --out drill-report[\s\S]*drdrill compare baseline drill-report/,
    );
    const script = ci["dr-drill"].script.filter((l: string) => !/npm ci|setup\.sh/.test(l)).join("\n");
    expect(await runShell(script, { CI_NODE_INDEX: "3", CI_NODE_TOTAL: "3", SCENARIOS: "scenarios/" }, 1)).toEqual({
      code: 0,
      calls: "drdrill run scenarios/ --shard 3/3 --out shard-3",
    });
  });

  it("the CLI takes the shard arguments the templates give it", () => {
    const out = execFileSync(
      process.execPath,
      ["bin/drdrill.js", "plan", "scenarios/seed", "--shards", "3", "--json"],
      { encoding: "utf8" },
    );
    expect(JSON.parse(out).shards).toHaveLength(3);
  });
});

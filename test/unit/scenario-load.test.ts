import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { InputError } from "../../harness/model/errors.ts";
import { loadScenarios, parseScenario } from "../../harness/scenario/load.ts";

const issuesOf = (file: string, text: string) => {
  try {
    parseScenario(file, text);
    return [];
  } catch (e) {
    if (e instanceof InputError) return e.issues;
    throw e;
  }
};

const base = `name: ok
tools: [duplicity]
steps:
  - backup: full
  - fault: { delete-path: { path: PATH } }
  - restore: latest
`;

describe("scenario loading", () => {
  it("loads the bundled scenarios", async () => {
    const loaded = await loadScenarios(["scenarios"]);
    expect(loaded.map((l) => l.scenario.name)).toContain("seed-drill");
  });

  it("reports all ten mistakes at once, each with line, column and field", async () => {
    const file = "test/fixtures/scenarios/ten-mistakes.yaml";
    const issues = issuesOf(file, await readFile(file, "utf8"));
    expect(issues.map((i) => `${i.line}:${i.path}`)).toEqual([
      "1:name",
      "2:dataset.size",
      "3:mode",
      "5:tools[0].duplicity.encryption",
      "5:tools[0].duplicity.volsize",
      "6:tools[1].tarsnap",
      "9:steps[1].load",
      "10:steps[2].fault.delete-path.path",
      "12:objectives.rto",
      "13:colour",
    ]);
    expect(issues.every((i) => i.file === file && i.column > 0)).toBe(true);
  });

  it.each(["../x", "/etc", "a/../../b"])("refuses a fault path that leaves the data directory: %s", (p) => {
    const issues = issuesOf("s.yaml", base.replace("PATH", p));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("steps[1].fault.delete-path.path");
    expect(issues[0]!.line).toBe(5);
  });

  it("accepts paths inside the data directory", () => {
    expect(issuesOf("s.yaml", base.replace("PATH", "lib/mysql"))).toEqual([]);
    expect(issuesOf("s.yaml", base.replace("PATH", "."))).toEqual([]);
  });

  it("locates YAML syntax errors", () => {
    const issues = issuesOf("bad.yaml", "name: x\nsteps: [\n  - backup: full\n");
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.line).toBeGreaterThan(1);
  });

  it("refuses a restore before any backup and a bad objective", () => {
    const issues = issuesOf(
      "s.yaml",
      "name: x\ntools: [duplicity]\nsteps:\n  - restore: latest\nobjectives: { rto: '< soon' }\n",
    );
    expect(issues.map((i) => i.path)).toEqual(["steps[0].restore", "objectives.rto"]);
  });

  it("derives the expected outcome from the faults when expect is absent", () => {
    const s = parseScenario("s.yaml", base.replace("PATH", "."));
    expect(s.expected).toEqual(["recovered"]);
    expect(s.scenario.mode).toBe("cold");
    expect(s.scenario.tools[0]).toEqual({
      duplicity: {
        encryption: "gpg-symmetric",
        passphrase: { env: "DRDRILL_PASSPHRASE" },
        volsize: 200,
        compression: "default",
        args: { backup: [], restore: [] },
      },
    });
  });

  it("refuses a replicator that needs a standby node on a target that cannot start one, naming the line", () => {
    const text = `name: standby
destination: site
mode: hot
tools:
  - mariadb-replication: {}
steps:
  - backup: full
  - fault: { site-loss: {} }
  - restore: latest
`;
    const local = issuesOf("standby.yaml", text);
    expect(local.map((i) => `${i.line}:${i.path}`)).toEqual(["5:tools[0]"]);
    expect(local[0]!.message).toMatch(/standby node at site B, which the local target cannot start/);
    expect(issuesOf("standby.yaml", `target: lab\n${text}`)).toEqual([]);
    // cold mode stops the primary's database for every backup step: refused, at the mode's line
    const cold = issuesOf("standby.yaml", `target: lab\n${text.replace("mode: hot", "mode: cold")}`);
    expect(cold.map((i) => `${i.line}:${i.path}`)).toEqual(["4:mode"]);
    expect(cold[0]!.message).toMatch(/replicates a running database: set mode: hot/);
    // a file mirror on the lab would fail over to a folder, not to a node that runs MicroStack
    const files = issuesOf("standby.yaml", `target: lab\n${text.replace("mariadb-replication", "lsyncd")}`);
    expect(files.map((i) => i.message)).toEqual([
      expect.stringMatching(/use a replicator that keeps one \(mariadb-replication\)/),
    ]);
  });
});

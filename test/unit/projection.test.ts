// RTO at production size: the least-squares fit, the projection per scenario and tool, and the
// scenario rules of sweep.size and project (exit 2, naming file, line and field).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../harness/cli/main.ts";
import { fitLine, projectRuns } from "../../harness/metrics/projection.ts";
import { tmp } from "../helpers/tmp.ts";

describe("fitLine", () => {
  it("recovers a line exactly, with R² 1 and no residual", () => {
    const f = fitLine([1, 2, 3].map((x) => ({ x, y: 100 + 5 * x })))!;
    expect(f.intercept).toBeCloseTo(100);
    expect(f.slope).toBeCloseTo(5);
    expect(f.r2).toBeCloseTo(1);
    expect(f.maxRelResidual).toBeCloseTo(0);
  });

  it("states the spread of noisy points; refuses a single size", () => {
    const f = fitLine([
      { x: 1, y: 10 },
      { x: 2, y: 25 },
      { x: 3, y: 30 },
    ])!;
    expect(f.slope).toBeCloseTo(10);
    expect(f.intercept).toBeCloseTo(1.6667, 3);
    expect(f.r2!).toBeGreaterThan(0.9);
    expect(f.r2!).toBeLessThan(1);
    expect(f.maxRelResidual).toBeGreaterThan(0.1);
    expect(fitLine([{ x: 5, y: 1 }])).toBeNull();
    expect(
      fitLine([
        { x: 5, y: 1 },
        { x: 5, y: 2 },
      ]),
    ).toBeNull();
    expect(
      fitLine([
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ])!.r2,
    ).toBeNull();
  });

  it("projects each scenario and tool + settings to the size it names", () => {
    const run = (tool: string, bytes: number, restoreMs: number) =>
      ({
        scenario: "s",
        tool,
        settings: {},
        dataset: { method: "generated", bytes, files: 10 },
        metrics: { restoreMs, backupMs: 2 * restoreMs, repoBytes: bytes / 2 },
      }) as any;
    const p = projectRuns(
      [run("a", 1e6, 110), run("a", 2e6, 210), run("a", 3e6, 310), run("b", 1e6, 50), run("b", 2e6, 90)],
      { s: 12e6 },
    );
    const a = p.find((x) => x.tool === "a")!;
    expect(a).toMatchObject({ atBytes: 12e6, restoreMs: 1210, backupMs: 2420, repoBytes: 6e6 });
    expect(a.model).toMatch(/linear in bytes.*3 run\(s\) at 3 size\(s\)/);
    expect(p.find((x) => x.tool === "b")!.restoreMs).toBe(490);
    expect(projectRuns([run("a", 1e6, 1)], {})).toEqual([]);
  });
});

describe("sweep.size and project in a scenario", () => {
  const stderr: string[] = [];
  beforeAll(() => {
    vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (stderr.push(String(s)), true));
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  });
  afterAll(() => vi.restoreAllMocks());
  const validate = async (text: string) => {
    const file = join(await tmp(), "p.yaml");
    await writeFile(file, text);
    stderr.length = 0;
    return { code: await main(["validate", file]), err: stderr.join("") };
  };
  const steps = "steps:\n  - backup: full\n  - fault: { delete-path: { path: . } }\n  - restore: latest\n";

  it("project without sweep.size, or a bad size, is exit 2 naming the file, line and field", async () => {
    const a = await validate(`name: p\ntools: [tar-zstd]\nproject: { size: 1GB }\n${steps}`);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/p\.yaml:3:\d+: project: project needs sweep\.size/);
    const b = await validate(`name: p\ntools: [tar-zstd]\nsweep: { size: [8MB, lots] }\n${steps}`);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/p\.yaml:3:\d+: sweep\.size\[1\]: not a size/);
    const c = await validate(
      `name: p\ntools: [tar-zstd]\nsweep: { size: [8MB, 16MB] }\nproject: { size: 1GB }\n${steps}`,
    );
    expect(c.code, c.err).toBe(0);
  });
});

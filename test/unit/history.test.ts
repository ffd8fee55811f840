// `drdrill history`: the tables over time built from results.json files in run folders (given one by
// one or as a folder holding them), the latest breach of each objective marked, and bad input exit 2.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { historyCommand } from "../../harness/cli/history.ts";
import { main } from "../../harness/cli/main.ts";
import { InputError } from "../../harness/model/errors.ts";
import { tmp } from "../helpers/tmp.ts";
import { resultsFile, run } from "./report-fixture.ts";

const breach = (passed: boolean, value: number) => [{ metric: "rtoMs", threshold: "< 2s", value, passed }];

/** Three nightly runs of one scenario, written out of time order, plus one run of another scenario. */
async function folders(): Promise<string> {
  const root = await tmp();
  const runs = [
    { id: "b", at: "2026-12-02T01:00:00.000Z", rto: 3000, ok: false, age: 7_200_000 },
    { id: "a", at: "2026-12-01T01:00:00.000Z", rto: 2500, ok: false, age: undefined },
    { id: "c", at: "2026-12-03T01:00:00.000Z", rto: 1500, ok: true, age: 3_600_000 },
  ];
  for (const r of runs) {
    const result = run({
      scenario: "nightly",
      passed: r.ok,
      objectives: breach(r.ok, r.rto),
      metrics: { rtoMs: r.rto, restoreMs: 1000, pointAgeMs: r.age },
    });
    if (r.age === undefined) delete (result.metrics as Partial<typeof result.metrics>).pointAgeMs;
    const others = r.id === "c" ? [run({ scenario: "other", index: 1 })] : [];
    await mkdir(join(root, r.id));
    await writeFile(
      join(root, r.id, "results.json"),
      JSON.stringify(resultsFile([result, ...others], { runId: `run-${r.id}`, startedAt: r.at })),
    );
  }
  return root;
}

describe("drdrill history", () => {
  it("prints one table per scenario in time order, marks the latest breach and writes the chart page", async () => {
    const root = await folders();
    let text = "";
    const out = join(root, "history.html");
    const code = await historyCommand([root], { out }, (s) => (text += s));
    expect(code).toBe(0);
    const nightly = text.slice(text.indexOf("## nightly"), text.indexOf("## other"));
    const rows = nightly.split("\n").filter((l) => l.startsWith("| 2026"));
    expect(rows.map((l) => l.split(" | ")[1])).toEqual(["run-a", "run-b", "run-c"]);
    // run-a breached RTO but run-b did later: only run-b carries the mark
    expect(rows[0]).toContain("2.50 s ✗");
    expect(rows[0]).not.toContain("latest");
    expect(rows[1]).toContain("**3.00 s** ✗");
    expect(rows[1]).toContain("latest RTO breach");
    expect(rows[2]).not.toContain("✗");
    // point age: absent from the older run, read where present
    expect(rows[0]).toContain("| - |");
    expect(rows[1]).toContain("2h 0m");
    expect(text).toContain("## other");
    const html = await readFile(out, "utf8");
    expect(html.match(/<svg class="history-chart"/g)).toHaveLength(2);
    expect(html.match(/class="latest-breach" data-metric="rtoMs"/g)).toHaveLength(1);
    expect(html).not.toMatch(/(src|href)="http/);
    expect(text).toContain(`history: ${out}`);
  });

  it("takes run folders one by one as well", async () => {
    const root = await folders();
    let text = "";
    await historyCommand([join(root, "c"), join(root, "a")], { out: join(root, "h.html") }, (s) => (text += s));
    expect(
      text
        .split("\n")
        .filter((l) => l.startsWith("| 2026"))
        .map((l) => l.split(" | ")[1]),
    ).toEqual(["run-a", "run-c", "run-c"]);
  });

  it("refuses a folder that is no run folder, naming it, with exit 2 and no page written", async () => {
    const root = await folders();
    await expect(historyCommand([join(root, "nope")], { out: join(root, "h.html") }, () => {})).rejects.toThrow(
      InputError,
    );
    const err: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const code = await main(["history", join(root, "a"), join(root, "empty"), "--out", join(root, "h.html")]);
    vi.restoreAllMocks();
    expect(code).toBe(2);
    expect(err.join("")).toContain(`${join(root, "empty")}/results.json`);
    expect(err.join("")).toContain("not found: is this a drdrill run folder?");
    await expect(readFile(join(root, "h.html"))).rejects.toThrow();
  });
});

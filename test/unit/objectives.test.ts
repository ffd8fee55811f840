import { describe, expect, it } from "vitest";
import { evaluateThreshold, percentile } from "../../harness/objectives/evaluate.ts";
import { parseThreshold, type Threshold } from "../../harness/objectives/parse.ts";

const t = (metric: Parameters<typeof parseThreshold>[0], s: string) => parseThreshold(metric, s) as Threshold;

describe("objectives", () => {
  it("parses the k6-style grammar with units", () => {
    expect(t("rto", "< 10m")).toMatchObject({ aggregate: "each", op: "<", value: 600_000 });
    expect(t("rto", "p95 < 5m")).toMatchObject({ aggregate: "p95", op: "<", value: 300_000 });
    expect(t("backupThroughput", ">= 20MB/s")).toMatchObject({ op: ">=", value: 20_000_000 });
    expect(t("repoSize", "<= 1GB")).toMatchObject({ value: 1e9 });
    expect(t("rto", "avg < 1s").aggregate).toBe("mean");
    expect(t("writesLost", "<= 100")).toMatchObject({ op: "<=", value: 100 });
    expect(t("pointAge", "< 15m")).toMatchObject({ value: 900_000 });
  });
  it("explains what is wrong", () => {
    expect(parseThreshold("rto", "about 10 minutes")).toMatch(/not a threshold/);
    expect(parseThreshold("rto", "< 10MB")).toMatch(/not a duration/);
    expect(parseThreshold("backupThroughput", ">= 20MB")).toMatch(/not a rate/);
    expect(parseThreshold("writesLost", "<= 1MB")).toMatch(/not a whole number/);
  });
  it("refuses a bound that can never hold, or always holds (every metric is 0 or more)", () => {
    expect(parseThreshold("rto", "< 0s")).toMatch(/"< 0s" can never hold: rto is never below 0/);
    expect(parseThreshold("rto", "p95 < 0ms")).toMatch(/can never hold/);
    expect(parseThreshold("backupThroughput", ">= 0MB/s")).toMatch(/always holds/);
    expect(t("writesLost", "<= 0")).toMatchObject({ op: "<=", value: 0 });
    expect(t("rto", "< 1ms")).toMatchObject({ value: 1 });
  });
  it("evaluates each run, aggregates and missing values", () => {
    expect(evaluateThreshold(t("rto", "< 10s"), [9000])).toMatchObject({ metric: "rtoMs", passed: true, value: 9000 });
    expect(evaluateThreshold(t("rto", "< 10s"), [12_000]).passed).toBe(false);
    expect(evaluateThreshold(t("rto", "p50 < 10s"), [1000, 2000, 60_000]).passed).toBe(true);
    expect(evaluateThreshold(t("rto", "max < 10s"), [1000, 2000, 60_000]).passed).toBe(false);
    expect(evaluateThreshold(t("rpo", "< 1m"), [null])).toMatchObject({ passed: false, value: null });
  });
  it("computes nearest-rank percentiles", () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});

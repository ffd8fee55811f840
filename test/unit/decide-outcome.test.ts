import { describe, expect, it } from "vitest";
import { decideOutcome, type DrillFacts } from "../../harness/runner/decide-outcome.ts";

const good: DrillFacts = {
  faultInjected: true,
  restoreRan: true,
  restoreSucceeded: true,
  contentOk: true,
  requiredOk: true,
  servicesRequired: true,
  healthOk: true,
};

describe("outcome", () => {
  it("recovered when content, required metadata and health hold", () => {
    expect(decideOutcome(good).outcome).toBe("recovered");
  });
  it("silent corruption when the restore said success but content differs, whatever else happened", () => {
    expect(decideOutcome({ ...good, contentOk: false, contentMismatches: 1 }).outcome).toBe("silent-corruption");
    expect(decideOutcome({ ...good, contentOk: false, reportedByTool: "check: failed" }).outcome).toBe(
      "silent-corruption",
    );
  });
  it("detected when a tool reported the damage after the fault", () => {
    expect(
      decideOutcome({
        ...good,
        restoreSucceeded: false,
        contentOk: false,
        reportedByTool: "duplicity-restore: Bad session key",
      }),
    ).toEqual({ outcome: "detected", reason: "duplicity-restore: Bad session key" });
  });
  it("failed on a hang, on unhealthy services, on missing required metadata", () => {
    expect(decideOutcome({ ...good, restoreSucceeded: false, toolFailure: "timed out" }).outcome).toBe("failed");
    expect(decideOutcome({ ...good, healthOk: false }).outcome).toBe("failed");
    expect(decideOutcome({ ...good, requiredOk: false, requiredDetail: "xattrs" }).reason).toMatch(/xattrs/);
    expect(decideOutcome({ ...good, restoreRan: false }).outcome).toBe("failed");
  });
  it("error when the harness or environment failed", () => {
    expect(decideOutcome({ ...good, error: "duplicity not installed" }).outcome).toBe("error");
  });
});

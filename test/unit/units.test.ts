import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, parseDuration, parseRate, parseSize } from "../../harness/util/units.ts";

describe("units", () => {
  it("parses sizes in decimal and binary units", () => {
    expect(parseSize("3.34GB")).toBe(3_340_000_000);
    expect(parseSize("50MB")).toBe(50_000_000);
    expect(parseSize("512MiB")).toBe(512 * 1024 * 1024);
    expect(parseSize(1234)).toBe(1234);
    expect(parseSize("lots")).toBeUndefined();
    expect(parseSize("5 parsecs")).toBeUndefined();
  });
  it("parses durations and rates", () => {
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("1.5m")).toBe(90_000);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseRate("20MB/s")).toBe(20_000_000);
    expect(parseRate("20MB")).toBeUndefined();
  });
  it("formats for people", () => {
    expect(formatBytes(3_340_000_000)).toBe("3.34 GB");
    expect(formatDuration(1500)).toBe("1.50 s");
    expect(formatDuration(150_000)).toBe("2m 30.0s");
    expect(formatDuration(null)).toBe("-");
  });
});

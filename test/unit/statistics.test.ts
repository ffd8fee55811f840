// Statistics of repeated runs on hand-built samples: centre, spread, MAD outliers, spread warnings.
import { describe as group, expect, it } from "vitest";
import {
  describe,
  mean,
  median,
  medianAbsoluteDeviation,
  modifiedZScores,
  outlierIndices,
  spreadWarnings,
  standardDeviation,
} from "../../harness/metrics/statistics.ts";

group("centre and spread", () => {
  it("median of odd and even samples, unsorted", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("mean and sample standard deviation (n - 1)", () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3);
    expect(standardDeviation([42])).toBe(0);
  });

  it("median absolute deviation", () => {
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });
});

group("outliers by modified z-score", () => {
  // Ten backups near 10 s and one that waited for a disk: 25 s.
  const backupsMs = [10_000, 10_200, 9_900, 10_100, 9_800, 10_050, 9_950, 10_150, 9_850, 10_000, 25_000];

  it("flags the slow run, as hyperfine would", () => {
    expect(outlierIndices(backupsMs)).toEqual([10]);
    const z = modifiedZScores(backupsMs);
    expect(z[10]).toBeCloseTo((0.6745 * 15_000) / 100, 6); // MAD = 100 ms
    expect(Math.abs(z[0]!)).toBeLessThan(3.5);
  });

  it("flags nothing in a tight sample", () => {
    expect(outlierIndices([100, 101, 99, 100, 102])).toEqual([]);
  });

  it("a zero MAD falls back to the mean absolute deviation", () => {
    // median 5, MAD 0, MeanAD 0.5: 2 / (1.253314 * 0.5)
    expect(modifiedZScores([5, 5, 5, 7])[3]).toBeCloseTo(3.19154, 4);
    expect(outlierIndices([5, 5, 5, 7])).toEqual([]);
    expect(outlierIndices([5, 5, 5, 5, 5, 5, 9])).toEqual([6]); // 4 / (1.253314 * 4/7) = 5.6
    expect(modifiedZScores([5, 5, 5, 5])).toEqual([0, 0, 0, 0]);
  });

  it("a deviation under 1 % of the median is never an outlier", () => {
    // six repositories of 35,150,000 B and one 8 B larger: z = 5.6, but 8 B is nothing
    const repo = [35_150_000, 35_150_000, 35_150_000, 35_150_000, 35_150_000, 35_150_000, 35_150_008];
    expect(Math.abs(modifiedZScores(repo)[6]!)).toBeGreaterThan(3.5);
    expect(outlierIndices(repo)).toEqual([]);
    expect(outlierIndices(repo, 3.5, 0)).toEqual([6]);
  });

  it("the limit is a parameter", () => {
    expect(outlierIndices([10, 11, 12, 13, 20], 10)).toEqual([]);
    expect(outlierIndices([10, 11, 12, 13, 20], 3.5)).toEqual([4]);
  });
});

group("describe and spreadWarnings", () => {
  it("summarises a sample and keeps outlier positions in the input, skipping missing values", () => {
    const st = describe([100, Number.NaN, 102, 98, 101, 250])!;
    expect(st).toMatchObject({ n: 5, min: 98, max: 250, median: 101, outliers: [5] });
    expect(st.mean).toBeCloseTo(130.2, 6);
    expect(st.rangeRatio).toBeCloseTo(152 / 101, 6);
    expect(describe([])).toBeNull();
  });

  it("a tight sample has no warnings", () => {
    expect(spreadWarnings(describe([100, 101, 99, 100, 102]))).toEqual([]);
  });

  it("names each limit a wide sample exceeds", () => {
    const w = spreadWarnings(describe([100, 102, 98, 101, 250]));
    expect(w).toEqual([
      "1 outlier(s) by modified z-score > 3.5",
      expect.stringMatching(/^relative standard deviation 51 % > 10 %: too wide to compare$/),
      expect.stringMatching(/^\(max - min\) \/ median 150 % > 25 %: too wide to compare$/),
    ]);
  });

  it("range alone can trip, and outliers need five values", () => {
    expect(describe([100, 102, 250])!.outliers).toEqual([]);
    expect(describe([100, 102, 98, 250])!.outliers).toEqual([]);
    const loose = { maxRsd: 0.5, maxRangeRatio: 0.25, outlierZ: 3.5, minRelativeDeviation: 0.01 };
    const st = describe([10, 13])!; // sd/mean 18 %, (max - min)/median 26 %
    expect(st.outliers).toEqual([]);
    expect(spreadWarnings(st, loose)).toEqual(["(max - min) / median 26 % > 25 %: too wide to compare"]);
    expect(spreadWarnings(describe([10, 12]), loose)).toEqual([]);
    expect(spreadWarnings(st)).toHaveLength(2);
  });

  it("one value has no spread to warn about", () => {
    expect(spreadWarnings(describe([7]))).toEqual([]);
    expect(spreadWarnings(null)).toEqual([]);
  });
});

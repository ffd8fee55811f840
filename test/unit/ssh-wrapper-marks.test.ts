// The wrapper's marks are taken out of stderr however the stream is cut into chunks.
import { describe, expect, it } from "vitest";
import { END_MARK, START_MARK } from "../../harness/ssh/remote-wrapper.ts";
import { wrapperMarks } from "../../harness/ssh/wrapper-marks.ts";

const stream = `${START_MARK}4711\nwarning: one\nlast line without newline${END_MARK}--t0\n0m0.00s 0m0.00s\n--t1\n`;

describe("wrapperMarks", () => {
  it("reports the group, passes the command's stderr and returns the stats, at every cut", () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const seen: number[] = [];
      const m = wrapperMarks((g) => seen.push(g));
      const text = m.push(stream.slice(0, cut)) + m.push(stream.slice(cut));
      const { rest, stats } = m.end();
      expect(seen, `cut ${cut}`).toEqual([4711]);
      expect(text + rest, `cut ${cut}`).toBe("warning: one\nlast line without newline");
      expect(stats, `cut ${cut}`).toBe("--t0\n0m0.00s 0m0.00s\n--t1\n");
    }
  });

  it("passes everything on when the wrapper never started (ssh's own message)", () => {
    const m = wrapperMarks(() => expect.unreachable());
    const text = m.push("sudo: a password is required\npartial");
    expect(text + m.end().rest).toBe("sudo: a password is required\npartial");
  });
});

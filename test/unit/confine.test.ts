// What a fault's path parameter may be, decided without touching the disk (the agent checks the rest).
import { describe, expect, it } from "vitest";
import { lexicalPathProblems } from "../../harness/faults/confine.ts";

describe("fault paths", () => {
  it("refuses absolute paths, .., empty paths and NUL bytes before touching the disk", () => {
    expect(lexicalPathProblems("/etc/passwd")[0]).toMatch(/absolute/);
    expect(lexicalPathProblems("../x")[0]).toMatch(/leaves/);
    expect(lexicalPathProblems("a/../../x")[0]).toMatch(/leaves/);
    expect(lexicalPathProblems("")[0]).toMatch(/empty/);
    expect(lexicalPathProblems("a\0b")[0]).toMatch(/NUL/);
    expect(lexicalPathProblems("a/../b")).toEqual([]);
    expect(lexicalPathProblems(".")).toEqual([]);
  });
});

// The checks a scenario file passes before it is parsed: its depth reckoned lexically (text that
// only looks nested is not refused), its bytes UTF-8 (overlong forms and surrogates included).
import { describe, expect, it } from "vitest";
import { firstInvalidUtf8, tooDeepAt } from "../../harness/scenario/yaml-guard.ts";

describe("depth before parsing", () => {
  it("brackets in text are not nesting: block scalars, quoted strings, plain text, comments", () => {
    const many = "[{".repeat(200);
    const text = [
      "name: t",
      "description: |",
      `  ${many}`,
      `  ${many}`,
      `notes: "${many}"`,
      `other: '${many}'`,
      `plain: see ${many}`,
      `# ${many}`,
      "steps:",
      "  - fault: { delete-path: { path: . } }",
    ].join("\n");
    expect(tooDeepAt(text, 64)).toBe(-1);
  });

  it("flow, block and compact nesting past the bound is found where it passes it", () => {
    expect(tooDeepAt(`a: ${"[".repeat(70)}${"]".repeat(70)}`, 64)).toBe(3 + 63);
    expect(tooDeepAt(`a:\n${"- ".repeat(70)}x`, 64)).toBeGreaterThan(0);
    const block = Array.from({ length: 70 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n");
    expect(tooDeepAt(block, 64)).toBeGreaterThan(0);
  });
});

describe("UTF-8", () => {
  it.each([
    ["ascii and é", Buffer.from("café ✓ 😀"), -1],
    ["a Latin-1 byte", Buffer.from([0x61, 0xe9, 0x0a]), 1],
    ["an overlong slash", Buffer.from([0x61, 0xc0, 0xaf]), 1],
    ["a surrogate", Buffer.from([0xed, 0xa0, 0x80]), 0],
    ["a cut sequence at the end", Buffer.from([0x61, 0xe2, 0x9c]), 1],
  ])("%s", (_what, bytes, at) => expect(firstInvalidUtf8(bytes)).toBe(at));
});

import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../../harness/scenario/schema.ts";

describe("published JSON Schema", () => {
  it("scenarios/scenario.schema.json is what `drdrill schema` prints (regenerate it when the schema changes)", async () => {
    const published = JSON.parse(await readFile("scenarios/scenario.schema.json", "utf8"));
    expect(published).toEqual(scenarioJsonSchema());
  });
  it("every bundled scenario points editors at it", async () => {
    const seed = await readFile("scenarios/seed/seed-drill.yaml", "utf8");
    expect(seed.split("\n")[0]).toBe("# yaml-language-server: $schema=../scenario.schema.json");
  });
});

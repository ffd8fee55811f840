// Every scenario shipped under scenarios/ is valid, as `drdrill validate` and `drdrill run` read it,
// and points editors at the published JSON Schema, which is exactly what `drdrill schema` prints.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../harness/scenario/load.ts";
import { drdrill, ROOT } from "../helpers/cli.ts";

const DIR = join(ROOT, "scenarios");
const SCHEMA = join(DIR, "scenario.schema.json");
/** Every scenario file under scenarios/, in every folder. */
const FILES = readdirSync(DIR, { recursive: true, encoding: "utf8" })
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

describe("the scenarios shipped, and the published JSON Schema", () => {
  it("finds the scenarios in every folder under scenarios/", () => {
    const folders = new Set(FILES.map((f) => dirname(f)));
    expect(folders).toEqual(
      new Set(
        readdirSync(DIR, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name),
      ),
    );
    expect(FILES).toContain("seed/seed-drill.yaml");
  });

  describe.each(FILES)("scenarios/%s", (file) => {
    const text = readFileSync(join(DIR, file), "utf8");
    it("is valid", () => {
      expect(() => parseScenario(`scenarios/${file}`, text)).not.toThrow();
    });
    it("points editors at the schema from its first line", () => {
      const schema = relative(dirname(join(DIR, file)), SCHEMA);
      expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=${schema}`);
    });
  });

  it("`drdrill validate scenarios` accepts them all (unique names included), exit 0", async () => {
    const r = await drdrill(["validate", "scenarios"]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${FILES.length} scenario\\(s\\) valid: `, "m"));
  });

  it("scenario.schema.json is, byte for byte, what `drdrill schema` prints (regenerate it so)", async () => {
    const r = await drdrill(["schema"]);
    expect(r.exitCode, r.all).toBe(0);
    expect(readFileSync(SCHEMA, "utf8")).toBe(r.stdout + "\n");
  });
});

// results.json: the machine-readable contract (schemaVersion 1).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Reporter } from "../harness/model/reporter.ts";

export const jsonReporter: Reporter = {
  name: "json",
  async onEnd(results, outDir) {
    const path = join(outDir, "results.json");
    await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
    return path;
  },
};

// A folder of this machine as a confined directory (the agent run here): for the harness's own
// trees (pristine copies, benchmarks, tests), never for a target's data.
import { Agent, AGENT_SOURCE, LOCAL_PYTHON } from "./agent.ts";
import { ConfinedDir } from "./confined-dir.ts";
import { LocalExecutor } from "../exec/local-executor.ts";
import { SecretStore } from "../util/secrets.ts";
import { tmpdir } from "node:os";

export function localDir(path: string, label = "folder", opts: { logDir?: string; secrets?: SecretStore } = {}): ConfinedDir {
  const exec = new LocalExecutor(opts.logDir ?? tmpdir(), opts.secrets ?? new SecretStore());
  return new ConfinedDir(new Agent({ exec, script: AGENT_SOURCE, python: LOCAL_PYTHON }), path, label);
}

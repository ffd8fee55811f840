// A folder of this machine as a confined directory (the agent run here): for the harness's own
// trees (pristine copies, benchmarks, tests), never for a target's data.
import { spawn } from "node:child_process";
import { Agent, agentScript, LOCAL_PYTHON } from "./agent.ts";
import { ConfinedDir } from "./confined-dir.ts";
import { LocalExecutor } from "../exec/local-executor.ts";
import { SecretStore } from "../util/secrets.ts";
import { tmpdir } from "node:os";

/** The agent on this machine: one long-lived process for quick calls, the executor for watched ones. */
export function localAgent(opts: { logDir?: string; secrets?: SecretStore } = {}): Agent {
  const exec = new LocalExecutor(opts.logDir ?? tmpdir(), opts.secrets ?? new SecretStore());
  return new Agent({
    exec,
    script: agentScript(),
    python: LOCAL_PYTHON,
    serve: () => spawn(LOCAL_PYTHON, ["-I", "-B", "-S", agentScript(), "--serve"], { stdio: "pipe" }),
  });
}

export function localDir(
  path: string,
  label = "folder",
  opts: { logDir?: string; secrets?: SecretStore } = {},
): ConfinedDir {
  return new ConfinedDir(localAgent(opts), path, label);
}

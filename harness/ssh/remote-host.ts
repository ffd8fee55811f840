// A host reached over SSH as a place for drdrill to work: one multiplexed connection, commands through
// the SSH executor (secrets on stdin only), a folder of the run on the host, and drdrill's agent
// uploaded there (one long-lived agent session on the same connection), so file operations run
// confined on the host itself.
import { spawn } from "node:child_process";
import { Agent, agentSource } from "../agent/agent.ts";
import { ConfinedDir, type ConfinedDirOptions, type Refusal } from "../agent/confined-dir.ts";
import { EnvironmentError } from "../model/errors.ts";
import { openSsh, type SshConnection, type SshOptions } from "./connection.ts";
import { SshExecutor } from "./ssh-executor.ts";
import type { SecretStore } from "../util/secrets.ts";

export interface RemoteHost {
  conn: SshConnection;
  exec: SshExecutor;
  agent: Agent;
  /** The run's folder on the host. */
  runDir: string;
  dir(path: string, label: string, opts?: ConfinedDirOptions): ConfinedDir;
  /** Runs one of drdrill's own commands (as root when the connection says sudo); throws on failure. */
  sh(script: string, args?: string[], what?: string): Promise<string>;
  /** Closes the connection; without `keep`, removes the run's folder there. Returns what it left alone. */
  close(opts?: { keep?: boolean }): Promise<Refusal[]>;
}

export async function connectHost(
  ssh: SshOptions,
  opts: { workDir: string; runName: string; logDir: string; secrets: SecretStore },
): Promise<RemoteHost> {
  const conn = await openSsh(ssh);
  const exec = new SshExecutor(conn, opts.logDir, opts.secrets);
  const runDir = `${opts.workDir.replace(/\/+$/, "")}/${opts.runName}`;
  const sh = async (script: string, args: string[] = [], what = "a command"): Promise<string> => {
    const r = await conn.run("sh", ["-c", script, "drdrill", ...args], { timeoutMs: 120_000 });
    if (r.exitCode !== 0)
      throw new EnvironmentError(
        `${conn.where}: ${what} failed: ${r.stderr.trim().split("\n").slice(-2).join(" / ") || `exit ${r.exitCode}`}`,
      );
    return r.stdout;
  };
  try {
    const py = await conn.run("sh", ["-c", "command -v python3"]);
    if (py.exitCode !== 0)
      throw new EnvironmentError(
        `${conn.where} has no python3, which drdrill's agent needs there; install it there: apt-get install ` +
          `python3-minimal`,
      );
    await sh('umask 077 && mkdir -p -- "$1/repo" "$1/tool" "$1/scratch"', [runDir], `making ${runDir}`);
    const script = `${runDir}/drdrill-agent.py`;
    await conn.put(script, agentSource(), 0o644, { sudo: conn.elevated });
    const agent = new Agent({
      exec,
      script,
      python: "python3",
      serve: () =>
        spawn("ssh", [...conn.clientArgs(), conn.commandLine("python3", ["-I", "-B", "-S", script, "--serve"])], {
          stdio: "pipe",
          detached: true,
        }),
    });
    return {
      conn,
      exec,
      agent,
      runDir,
      sh,
      dir: (path, label, o) => new ConfinedDir(agent, path, label, o),
      async close(o = {}) {
        // The run's folder emptied by the agent, which never deletes through a mount point left in it
        // (a bind mount on the same file system included), then removed; what it left is returned.
        const left = o.keep
          ? []
          : await agent.call("delete", { root: runDir, paths: ["."] }).then(
              (r) => r.refused,
              (e: Error) => [{ path: ".", reason: `not removed: ${e.message}` }],
            );
        agent.close();
        if (!o.keep) await conn.run("rmdir", ["--", runDir], { timeoutMs: 60_000 }).catch(() => {});
        await exec.close();
        await conn.close();
        return left;
      },
    };
  } catch (e) {
    await exec.close().catch(() => {});
    await conn.close();
    throw e;
  }
}

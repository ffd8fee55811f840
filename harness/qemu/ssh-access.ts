// SSH into the VM with OpenSSH's client: the run's own key pair, the guest's host key pinned in a
// known_hosts file of the run (strict checking stays on), and the ssh argv built from both.
import { execa } from "execa";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EnvironmentError } from "../model/errors.ts";

export interface SshEndpoint {
  sshHost: string;
  sshPort: number;
  user: string;
  identityFile: string;
  knownHostsFile: string;
}

/** Makes `<runDir>/id_ed25519` (0600, never logged) and returns it with its public key line. */
export async function makeRunKeyPair(runDir: string): Promise<{ identityFile: string; publicKey: string }> {
  const identityFile = join(runDir, "id_ed25519");
  const r = await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "drdrill-run", "-f", identityFile], {
    reject: false,
    stdin: "ignore",
  });
  if ((r as { code?: string }).code === "ENOENT")
    throw new EnvironmentError("ssh-keygen is not installed: run `bash ci/setup.sh vm` (openssh-client)");
  if (r.exitCode !== 0)
    throw new EnvironmentError(`ssh-keygen failed (exit ${r.exitCode}): ${String(r.stderr).trim()}`);
  await chmod(identityFile, 0o600);
  return { identityFile, publicKey: (await readFile(`${identityFile}.pub`, "utf8")).trim() };
}

/** known_hosts with one line: `[127.0.0.1]:PORT ssh-ed25519 AAAA...`. */
export function knownHostsLine(host: string, port: number, hostKey: string): string {
  return `${port === 22 ? host : `[${host}]:${port}`} ${hostKey}\n`;
}

export async function writeKnownHosts(file: string, host: string, port: number, hostKey: string): Promise<void> {
  await writeFile(file, knownHostsLine(host, port, hostKey), { mode: 0o644 });
}

/** `ssh` arguments for one command on the VM; no user config, no other keys, no prompts. */
export function sshArgs(e: SshEndpoint, command: string[] = [], connectTimeoutS = 10): string[] {
  return [
    "-F",
    "/dev/null",
    "-i",
    e.identityFile,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    `UserKnownHostsFile=${e.knownHostsFile}`,
    "-o",
    "GlobalKnownHostsFile=/dev/null",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    "BatchMode=yes",
    "-o",
    `ConnectTimeout=${connectTimeoutS}`,
    "-o",
    "LogLevel=ERROR",
    "-p",
    String(e.sshPort),
    `${e.user}@${e.sshHost}`,
    ...command,
  ];
}

/** The same as one line a person can paste. */
export function sshCommandLine(e: SshEndpoint): string {
  return (
    `ssh -i ${e.identityFile} -o UserKnownHostsFile=${e.knownHostsFile} -o StrictHostKeyChecking=yes -p ` +
    `${e.sshPort} ${e.user}@${e.sshHost}`
  );
}

/** Runs one command on the VM (a shell command line, as ssh passes it); never throws for its exit code. */
export async function sshRun(
  e: SshEndpoint,
  command: string,
  opts: { timeoutMs?: number } = {},
): Promise<{ exitCode: number; stdout: string; stderr: string; timedOut: boolean }> {
  const r = await execa("ssh", sshArgs(e, [command]), {
    reject: false,
    encoding: "utf8",
    stdin: "ignore",
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
  });
  if ((r as { code?: string }).code === "ENOENT")
    throw new EnvironmentError("ssh is not installed: run `bash ci/setup.sh vm` (openssh-client)");
  return {
    exitCode: typeof r.exitCode === "number" ? r.exitCode : 255,
    stdout: String(r.stdout ?? ""),
    stderr: String(r.stderr ?? ""),
    timedOut: Boolean(r.timedOut),
  };
}

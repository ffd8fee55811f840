// The docker CLI, for what testcontainers does not do (builds, removal by label, inspection).
import { execa } from "execa";
import { EnvironmentError } from "../model/errors.ts";

export interface DockerResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `docker ARGS`; never throws for a non-zero exit (check exitCode). */
export async function docker(
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<DockerResult> {
  const r = await execa("docker", args, {
    reject: false,
    encoding: "utf8",
    stdin: "ignore",
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
  });
  if ((r as { code?: string }).code === "ENOENT")
    throw new EnvironmentError("the docker CLI is not installed: run `bash ci/setup.sh docker`");
  return {
    exitCode: typeof r.exitCode === "number" ? r.exitCode : 1,
    stdout: String(r.stdout ?? ""),
    stderr: String(r.stderr ?? ""),
  };
}

/** Throws an EnvironmentError (exit 3) that says how to get Docker when no daemon answers. */
export async function requireDocker(): Promise<void> {
  const r = await docker(["version", "--format", "{{.Server.Version}}"], { timeoutMs: 20_000 });
  if (r.exitCode !== 0 || !r.stdout.trim()) {
    const why = r.stderr.trim().split("\n").at(-1) ?? "no answer";
    throw new EnvironmentError(`Docker is not reachable (${why}); start it with \`bash ci/setup.sh docker\``);
  }
}

export async function imageExists(ref: string): Promise<boolean> {
  return (await docker(["image", "inspect", "--format", "{{.Id}}", ref])).exitCode === 0;
}

/** Names of `repo:tag` images of one repository. */
export async function imageTags(repo: string): Promise<string[]> {
  const r = await docker(["images", "--format", "{{.Repository}}:{{.Tag}}", repo]);
  return r.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.endsWith(":<none>"));
}

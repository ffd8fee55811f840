// Settings of the ssh target (`targetSettings.ssh`, or `--target ssh://user@host:port`): where the
// host is, how to reach it, where its data is, how its services stop, start and prove health. A data
// directory that is "/", a system folder, or outside what the scenario allows is refused here,
// when the scenario is loaded: nothing connects.
import { posix } from "node:path";
import { z } from "zod";

/** Folders a drill must never empty or restore over (the folder itself or anything above or below it). */
export const SYSTEM_DIRS = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/proc",
  "/root",
  "/run",
  "/sbin",
  "/sys",
  "/usr",
  "/var/lib/dpkg",
  "/var/lib/apt",
  "/var/log",
];
/** Folders that may hold others' data but are not data directories themselves. */
export const NEVER_THEMSELVES = [
  "/",
  "/var",
  "/var/lib",
  "/var/snap",
  "/opt",
  "/srv",
  "/tmp",
  "/var/tmp",
  "/mnt",
  "/media",
  "/snap",
];

export const SNAP_COMMON = "/var/snap/microstack/common";

const inside = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

/** Why a remote data directory may not be drilled, or undefined when it may. */
export function dataDirProblem(dataDir: string, allowed?: string[]): string | undefined {
  if (!dataDir.startsWith("/")) return `"${dataDir}" is not an absolute path`;
  const p = posix.normalize(dataDir).replace(/\/+$/, "") || "/";
  if (p !== dataDir.replace(/\/+$/, "") && dataDir !== "/")
    return `"${dataDir}" is not a plain path (write it without "." or "..")`;
  if (NEVER_THEMSELVES.includes(p))
    return `"${p}" is not a data directory a drill may delete and restore (it holds everything under it)`;
  const sys = SYSTEM_DIRS.find((d) => inside(p, d) || inside(d, p));
  if (sys)
    return (
      `"${p}" is ${inside(p, sys) ? "inside" : "above"} the system folder ${sys}: a drill deletes and restores ` +
      `its data directory`
    );
  if (allowed && !allowed.some((a) => inside(p, posix.normalize(a))))
    return `"${p}" is outside what the scenario allows (allowDataDirs: ${allowed.join(", ")})`;
  return undefined;
}

const command = z.string().min(1);

interface SandboxFields {
  dataDir: string;
  seed: string;
  services: string;
  sandbox: "none" | "clone";
  sandboxRoot?: string | undefined;
}

/**
 * What `sandbox: clone` rules out: the host's own data and services are production, only read and
 * never stopped; a sandbox root must be a plain folder outside the data directory and system folders.
 */
export function sandboxProblems(s: SandboxFields): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  if (s.sandbox !== "clone") {
    if (s.sandboxRoot !== undefined)
      out.push({
        path: ["sandboxRoot"],
        message: "sandboxRoot is where sandbox: clone puts its copy; set sandbox: clone",
      });
    return out;
  }
  if (s.seed === "generate")
    out.push({
      path: ["seed"],
      message:
        "sandbox: clone drills a copy of the host's own data and never writes its data directory; seed: generate " +
        "would fill it (use seed: existing or auto)",
    });
  if (s.services === "snap" || s.services === "lab")
    out.push({
      path: ["services"],
      message:
        `services: ${s.services} stops and starts the host's own services, which sandbox: clone must not disrupt; ` +
        "use load-writer (drdrill's writer in the clone) or none",
    });
  const root = s.sandboxRoot;
  if (root !== undefined) {
    const p = posix.normalize(root).replace(/\/+$/, "") || "/";
    const data = posix.normalize(s.dataDir).replace(/\/+$/, "");
    if (!root.startsWith("/")) out.push({ path: ["sandboxRoot"], message: `"${root}" is not an absolute path` });
    else if (p !== root.replace(/\/+$/, "") && root !== "/")
      out.push({ path: ["sandboxRoot"], message: `"${root}" is not a plain path (write it without "." or "..")` });
    else if (inside(p, data))
      out.push({
        path: ["sandboxRoot"],
        message: `"${p}" is inside the data directory ${data}: the clone would change what it proves untouched`,
      });
    else {
      const sys = SYSTEM_DIRS.find((d) => inside(p, d));
      if (sys) out.push({ path: ["sandboxRoot"], message: `"${p}" is inside the system folder ${sys}` });
    }
  }
  return out;
}

export const sshSettings = z
  .object({
    host: z
      .string()
      .min(1)
      .optional()
      .describe("Host name or ~/.ssh/config alias (also: --target ssh://user@host:port)."),
    user: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    identityFile: z.string().min(1).optional().describe("Private key (default: the user's ssh config and agent)."),
    knownHostsFile: z
      .string()
      .min(1)
      .optional()
      .describe("Pin host keys to this file (default: the user's known_hosts)."),
    hostKey: z
      .enum(["strict", "accept-new"])
      .default("strict")
      .describe("strict: an unknown host key is refused; accept-new: a first-seen key is added."),
    sudo: z.boolean().optional().describe("Run as root through sudo -n (default: when the login user is not root)."),
    dataDir: z.string().default(SNAP_COMMON).describe("The data directory on the host (MicroStack's $SNAP_COMMON)."),
    allowDataDirs: z
      .array(z.string().startsWith("/"))
      .min(1)
      .optional()
      .describe("Folders the data directory must lie in."),
    workDir: z
      .string()
      .startsWith("/")
      .default("/var/tmp/drdrill")
      .describe("drdrill's folder on the host: the run's backups, tool caches, control files."),
    seed: z
      .enum(["auto", "existing", "generate"])
      .default("auto")
      .describe(
        "existing: drill the host's own data; generate: fill an empty data directory with the scenario's " +
          "dataset; auto: generate when the folder is missing or empty.",
      ),
    services: z
      .enum(["auto", "snap", "load-writer", "lab", "none"])
      .default("auto")
      .describe(
        "snap: snap stop|start microstack and openstack checks; load-writer: drdrill's own writer in the data; " +
          "lab: the lab image's services; auto: snap when microstack is installed, else load-writer.",
      ),
    quiesce: command.default("snap stop microstack"),
    resume: command.default("snap start microstack"),
    health: command.default("microstack.openstack token issue -f value -c expires"),
    sandbox: z
      .enum(["none", "clone"])
      .default("none")
      .describe(
        "none: drill the data directory itself; clone: drill a copy of it (cp -a --reflink=auto) in a folder of " +
          "its own, production only read, its digest before and after in the report.",
      ),
    sandboxRoot: z
      .string()
      .optional()
      .describe("sandbox: clone: the folder the clone's own folder is made in (default: the data directory's parent)."),
  })
  .strict()
  .superRefine((s, ctx) => {
    const why = dataDirProblem(s.dataDir, s.allowDataDirs);
    if (why) ctx.addIssue({ code: "custom", message: why, path: ["dataDir"] });
    if (
      !why &&
      (s.workDir === s.dataDir || s.workDir.startsWith(`${s.dataDir}/`) || s.dataDir.startsWith(`${s.workDir}/`))
    ) {
      ctx.addIssue({ code: "custom", message: "workDir and dataDir must not contain each other", path: ["workDir"] });
    }
    for (const p of sandboxProblems(s)) ctx.addIssue({ code: "custom", ...p });
  });

export type SshSettings = z.output<typeof sshSettings>;

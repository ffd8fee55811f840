// Copies a tree of this machine into a folder of a host over the run's SSH connection, as one tar
// stream (owners, modes, times, xattrs, links and FIFOs kept).
import { execa } from "execa";
import type { SshConnection } from "../../ssh/connection.ts";

const TAR_OPTS = ["--numeric-owner", "--xattrs", "--xattrs-include=*", "--acls"];
const UNPACK = `mkdir -p -- "$1" && cd -- "$1" && exec tar ${TAR_OPTS.map((o) => `'${o}'`).join(" ")} -xpf -`;

export async function streamTree(conn: SshConnection, localDir: string, remoteDir: string): Promise<void> {
  const pack = execa("tar", ["-C", localDir, ...TAR_OPTS, "-cf", "-", "."], { reject: false });
  const u = await pack.pipe("ssh", [...conn.clientArgs(), conn.commandLine("sh", ["-c", UNPACK, "untar", remoteDir])], {
    reject: false,
  });
  const p = await pack;
  if (p.exitCode !== 0) throw new Error(`packing ${localDir} failed: ${String(p.stderr).trim()}`);
  if (u.exitCode !== 0)
    throw new Error(
      `unpacking into ${remoteDir} on ${conn.where} failed: ` +
        `${String(u.stderr).trim().split("\n").slice(-2).join(" / ")}`,
    );
}

// `drdrill clean`: what drdrill processes killed hard (SIGKILL) left on this machine: their leases
// (load writers, tool calls' process groups, tmpfs mounts, firewall tables, VMs) and containers whose
// owner is gone. Lease files someone else could have written are ignored, and said so.
import { removeOrphans } from "../lab/labels.ts";
import { sweepLeftovers } from "../runner/sweep-leftovers.ts";
import { removeSshdOrphans } from "../sshd/labels.ts";

export async function cleanLeftovers(): Promise<{ removed: string[]; ignored: string[] }> {
  const { removed, ignored } = await sweepLeftovers();
  const docker = async (what: string, fn: () => Promise<string[]>) =>
    (await fn().catch(() => [] as string[])).map((n) => `${what} container ${n}`);
  removed.push(...(await docker("lab", removeOrphans)), ...(await docker("sshd", removeSshdOrphans)));
  return { removed, ignored };
}

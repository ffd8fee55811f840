// `drdrill clean`: what drdrill processes killed hard (SIGKILL) left on this machine: their leases
// (load writers, tool calls' process groups, tmpfs mounts, firewall tables, VMs, sandbox clones on ssh
// hosts), containers whose owner is gone, and gpg-key's GNUPGHOME links in /tmp that no
// agent uses.
// Lease files someone else could have written are ignored, and said so.
import { removeLabOrphans } from "../images/lab/container.ts";
import { removeSshdOrphans } from "../images/sshd/container.ts";
import { sweepLeftovers } from "../runner/sweep-leftovers.ts";
import { removeLeftLinks } from "../tools/gpg-keyring.ts";

export async function cleanLeftovers(): Promise<{ removed: string[]; ignored: string[] }> {
  const { removed, ignored } = await sweepLeftovers();
  const docker = async (what: string, fn: () => Promise<string[]>) =>
    (await fn().catch(() => [] as string[])).map((n) => `${what} container ${n}`);
  removed.push(...(await docker("lab", removeLabOrphans)), ...(await docker("sshd", removeSshdOrphans)));
  // gpg-key's short GNUPGHOME links in /tmp of killed runs (their agents went with the sweep above)
  removed.push(...(await removeLeftLinks()).map((l) => `GnuPG home link ${l} (its home or its agent is gone)`));
  return { removed, ignored };
}

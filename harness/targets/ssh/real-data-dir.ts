// The ssh target's data directory as the host has it. Its text passed the system-folder and
// allowDataDirs checks at validation, but a symlink on its path (/srv/drill/link -> /etc) can lead
// anywhere: the path is resolved on the host, through the agent, before anything is touched, and a
// data directory reached through a symlink is refused. From then on it is opened from / without
// following any link (ConfinedDir's noFollowRoot), so one planted later is refused too.
import { posix } from "node:path";
import { EnvironmentError } from "../../model/errors.ts";
import type { RemoteHost } from "../../ssh/remote-host.ts";
import { dataDirProblem, type SshSettings } from "./settings.ts";

export async function checkRealDataDir(host: RemoteHost, s: SshSettings): Promise<void> {
  const given = posix.normalize(s.dataDir).replace(/\/+$/, "") || "/";
  const r = await host.agent.call("resolve", { root: "/", path: given });
  const problem = dataDirProblem(r.real, s.allowDataDirs);
  if (r.links.length === 0 && r.real === given && !problem) return;
  const via = r.links.map((l) => `${l.path} -> ${l.to}`).join(", ");
  throw new EnvironmentError(
    `targetSettings.ssh.dataDir: "${s.dataDir}" on ${host.conn.where} ` +
      (via ? `runs through the symlink ${via}: there it is "${r.real}"` : `is "${r.real}" there`) +
      (problem ? `, and ${problem}` : "") +
      `. drdrill drills a data directory by its real path only, reached without following a link; nothing was touched`,
  );
}

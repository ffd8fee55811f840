// The remote wrapper (remote-wrapper.sh): its text, its marks on stderr, and the argv that runs it.
import { readFileSync } from "node:fs";

export const WRAPPER_SCRIPT = readFileSync(new URL("./remote-wrapper.sh", import.meta.url), "utf8");

/** The wrapper's first line on stderr: `\x1edrdrill-pgid <pgid>`. */
export const START_MARK = "\x1edrdrill-pgid ";
/** After the command and its group are gone: this line, then the stats (`--t0`, `--t1`, `--rss`). */
export const END_MARK = "\x1edrdrill-end\n";

/**
 * argv that runs COMMAND under the wrapper in a new session, then `finish` (stats on stderr, after
 * END_MARK). sh forks a child that is not a group leader, so setsid needs no fork of its own, and sh
 * reports a death by signal N as 128 + N. sh itself stays outside the group, so it survives a kill
 * of the group and still reports.
 */
export function launchArgv(
  wrapper: string,
  ctl: string,
  id: string,
  cwd: string | undefined,
  command: string,
  args: string[],
): string[] {
  const script = 'setsid bash "$0" run "$@"; rc=$?; bash "$0" finish "$1" "$2" >&2; exit $rc';
  return ["sh", "-c", script, wrapper, ctl, id, cwd ?? "", command, ...args];
}

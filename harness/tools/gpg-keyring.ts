// A run's throwaway GnuPG key pair (duplicity's `encryption: gpg-key`): made in a GNUPGHOME (mode 0700)
// in the tool's work folder where its commands run, its secret key deleted by lost-key, and the home
// removed with its gpg-agent when the session closes (after Ctrl-C too). No key material is printed.
import { lstat, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { runTool } from "./run-tool.ts";
import type { ToolContext, ToolRun } from "./tool.ts";

export interface Keyring {
  /** GNUPGHOME as gpg is given it: the folder, or a short link to it (see SOCKET_MAX). */
  home: string;
  /** The folder in the work folder that holds the keys. */
  dir: string;
  /** The key pair's fingerprint (40 hex digits): duplicity's --encrypt-key. */
  fingerprint: string;
}

/** The identity the throwaway key is made for (no real address: `.invalid`). */
const USER_ID = "drdrill drill key <drill@drdrill.invalid>";

/**
 * A Unix socket's path holds at most 107 bytes, and gpg 2.2 refuses a few bytes short of that (measured
 * here: a 105-byte socket path works, 107 gives "No agent running"). With no /run/user/UID, gpg-agent
 * puts its sockets (the longest `S.gpg-agent.browser`) in GNUPGHOME itself: a home whose socket path
 * would pass 100 bytes gets a short link in /tmp.
 */
export const SOCKET_MAX = 100;
const LONGEST_SOCKET = "/S.gpg-agent.browser".length;

/**
 * Makes the home and the key pair: ed25519 to sign, cv25519 to encrypt (gpg's future-default, made at
 * once), with no passphrase (only the run's own folder holds it); prints the home and the fingerprint.
 */
const MAKE = `set -eu
dir=$1
rm -rf -- "$dir"
mkdir -p -- "$(dirname -- "$dir")"
mkdir -m 0700 -- "$dir"
home=$dir
if [ $(( \${#dir} + ${LONGEST_SOCKET} )) -gt ${SOCKET_MAX} ]; then
  home=$(mktemp -u /tmp/drdrill-gpg.XXXXXXXX)
  ln -s -- "$dir" "$home"
fi
export GNUPGHOME=$home
gpg --batch --passphrase '' --quick-gen-key '${USER_ID}' future-default default never
echo "home $home"
gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" { print "fingerprint " $10; exit }'
gpg-connect-agent --no-autostart 'getinfo pid' /bye 2>/dev/null | sed -n 's/^D /agent /p'
`;

/** Deletes the secret key (what a lost key is), and shows that none is left. */
const DELETE_SECRET = `set -eu
gpg --batch --yes --delete-secret-keys "$1"
if gpg --batch --with-colons --list-secret-keys | grep -q '^sec'; then
  echo "error: a secret key is still in $GNUPGHOME" >&2
  exit 1
fi
echo "no secret key left in $GNUPGHOME"
`;

/**
 * Stops the home's gpg-agent and waits (up to 5 s) until it has exited (a zombie has: only its parent's
 * wait is left), then removes the home and its link.
 */
const REMOVE = `set -u
home=$1 dir=$2
pid=$(gpg-connect-agent --homedir "$home" --no-autostart 'getinfo pid' /bye 2>/dev/null | sed -n 's/^D //p')
gpgconf --homedir "$home" --kill gpg-agent
for _ in $(seq 100); do
  [ -n "$pid" ] && read -r _ _ state _ 2>/dev/null < "/proc/$pid/stat" || break
  case $state in Z*) break ;; esac
  sleep 0.05
done
[ "$home" = "$dir" ] || rm -f -- "$home"
rm -rf -- "$dir"
`;

/** Makes the run's key pair in `dir`; the keyring is absent when gpg failed (the run says why). */
export async function makeKeyring(ctx: ToolContext, dir: string): Promise<{ run: ToolRun; keyring?: Keyring }> {
  const run = await runTool(ctx, { label: "gpg-gen-key", command: "bash", args: ["-c", MAKE, "gpg-gen-key", dir] });
  const home = /^home (.+)$/m.exec(run.stdout)?.[1];
  const fingerprint = /^fingerprint ([0-9A-F]{40})$/m.exec(run.stdout)?.[1];
  if (run.failed || !home || !fingerprint)
    return { run: run.failed ? run : { ...run, failed: true, message: "gpg made no key pair (no fingerprint)" } };
  // The agent is a daemon in a session of its own: leased (on this machine), a drdrill killed hard has it
  // killed by the next run or `drdrill clean`, which then removes the home's link (removeLeftLinks).
  const agent = Number(/^agent (\d+)$/m.exec(run.stdout)?.[1]);
  if (ctx.leaseProcess && agent > 1) await ctx.leaseProcess(agent, `--homedir ${home}`, "gpg-key's gpg-agent");
  return { run, keyring: { home, dir, fingerprint } };
}

export function deleteSecretKey(ctx: ToolContext, k: Keyring): Promise<ToolRun> {
  return runTool(ctx, {
    label: "gpg-delete-secret-key",
    command: "bash",
    args: ["-c", DELETE_SECRET, "gpg-delete-secret-key", k.fingerprint],
    env: { GNUPGHOME: k.home },
  });
}

export function removeKeyring(ctx: ToolContext, k: Keyring): Promise<ToolRun> {
  return runTool(ctx, {
    label: "gpg-remove-home",
    command: "bash",
    args: ["-c", REMOVE, "gpg-remove-home", k.home, k.dir],
  });
}

/** Where MAKE puts a short GNUPGHOME link: /tmp/drdrill-gpg.XXXXXXXX. */
const LINK = /^drdrill-gpg\.[A-Za-z0-9]{8}$/;
/** A link younger than this whose home is there is left alone, agent or not. */
const YOUNG_MS = 60_000;

/** Whether a gpg-agent of the home `home` runs (its command line holds `--homedir HOME`). */
async function agentOf(home: string): Promise<boolean> {
  for (const pid of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid)) continue;
    const args = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0");
    const at = args.indexOf("--homedir");
    if (args[0]?.endsWith("gpg-agent") && at >= 0 && args[at + 1] === home) return true;
  }
  return false;
}

/**
 * Removes the short GNUPGHOME links (see SOCKET_MAX) a drdrill killed hard left in `dir` on this machine:
 * this user's symlinks of that name whose home is gone, or (a minute old) whose gpg-agent no longer
 * runs: the sweep of the killed run's leases has killed it, while a live run's agent runs from the key's
 * making to the home's removal, and the link goes first. `drdrill clean` calls this after the sweep.
 */
export async function removeLeftLinks(dir = "/tmp"): Promise<string[]> {
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!LINK.test(name)) continue;
    const path = join(dir, name);
    const st = await lstat(path).catch(() => null);
    if (!st?.isSymbolicLink() || (uid !== undefined && st.uid !== uid)) continue;
    const homeThere = await stat(path).then(
      () => true,
      () => false,
    );
    // a link just made has its agent a moment later (gpg starts it to make the key)
    if (homeThere && (Date.now() - st.mtimeMs < YOUNG_MS || (await agentOf(path)))) continue;
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}

// Reading the guest's serial console log: the pinned host key, the lab's READY/FAILED line, the
// KVM probe's marker, and the last lines for error messages. Pure.
import { FAILED_LINE, READY_LINE } from "../images/lab/names.ts";
import { HOSTKEY_MARK } from "./names.ts";

/** Console text as lines, without the serial line's carriage returns. */
export function consoleLines(text: string): string[] {
  return text.replace(/\r/g, "").split("\n");
}

/** The host key from `DRDRILL-VM HOSTKEY ssh-ed25519 AAAA...` as `ssh-ed25519 AAAA...`, or null. */
export function hostKeyFromConsole(text: string): string | null {
  for (const line of consoleLines(text)) {
    const at = line.indexOf(`${HOSTKEY_MARK} `);
    if (at < 0) continue;
    const m = /^(ssh-ed25519|ecdsa-sha2-nistp\d+|ssh-rsa) ([A-Za-z0-9+/]+={0,3})(?:\s|$)/.exec(
      line.slice(at + HOSTKEY_MARK.length + 1),
    );
    if (m) return `${m[1]} ${m[2]}`;
  }
  return null;
}

/** The lab's first READY or FAILED line (`MICROSTACK-LAB READY (baked state, 12 s)`), or null. */
export function labStatusLine(text: string): { ready: boolean; line: string } | null {
  for (const line of consoleLines(text)) {
    if (line.includes(READY_LINE)) return { ready: true, line: line.slice(line.indexOf(READY_LINE)).trim() };
    if (line.includes(FAILED_LINE)) return { ready: false, line: line.slice(line.indexOf(FAILED_LINE)).trim() };
  }
  return null;
}

/** True once the probe's kernel has got as far as mounting its root (it then panics on purpose). */
export function probeReachedRootMount(text: string): boolean {
  return /VFS: (Cannot open|Unable to mount) root|Kernel panic - not syncing/.test(text);
}

/** The last `n` non-empty lines, indented, for an error message. */
export function consoleTail(text: string, n = 20): string {
  const lines = consoleLines(text).filter((l) => l.trim() !== "");
  return lines.length === 0
    ? "  (the console is empty)"
    : lines
        .slice(-n)
        .map((l) => `  ${l}`)
        .join("\n");
}

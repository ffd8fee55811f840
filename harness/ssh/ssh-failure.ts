// Turns what OpenSSH's client logged when a connection failed into one line that says why.

/** `log`: what `ssh -E FILE` wrote; `knownHostsFile`: the file that pins host keys, if one was given. */
export function sshFailureReason(
  log: string,
  ctx: { knownHostsFile?: string; identityFile?: string; port: number },
): string {
  const lines = log
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const find = (re: RegExp) => lines.find((l) => re.test(l));
  const pinned = ctx.knownHostsFile ?? "your known_hosts";
  if (find(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/)) {
    return `its host key changed: it does not match the key pinned in ${pinned} (host key verification failed)`;
  }
  const unknown = find(/No \S+ host key is known for/);
  if (unknown) return `its host key is unknown: not in ${pinned}, and strict host key checking is on (${unknown})`;
  if (find(/Host key verification failed/)) return `host key verification failed (${pinned})`;
  const denied = find(/Permission denied/);
  if (denied)
    return `it refused the key${ctx.identityFile ? ` ${ctx.identityFile}` : ""} (${denied.replace(/^\S+: /, "")})`;
  const refused = find(/Connection refused/);
  if (refused) return `connection refused: no sshd answers on port ${ctx.port} (${refused})`;
  const noRoute = find(/No route to host|Network is unreachable|timed out|Connection closed|Connection reset/);
  if (noRoute) return `cannot reach it (${noRoute})`;
  const name = find(/Could not resolve hostname/);
  if (name) return `unknown host name (${name})`;
  return lines.at(-1) ?? "ssh failed and said nothing";
}

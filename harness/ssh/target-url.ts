// Parses an SSH target URL, `ssh://[user@]host[:port]`, as given on the command line (`--target`).

export interface SshTarget {
  host: string;
  user?: string;
  port?: number;
}

const URL_RE = /^ssh:\/\/(?:([^@/:\s[\]]+)@)?(\[[0-9A-Fa-f:.]+\]|[^@/:\s[\]]+)(?::(\d+))?\/?$/;

/** Throws an Error saying what is wrong and what a valid URL looks like. */
export function parseSshUrl(url: string): SshTarget {
  const m = URL_RE.exec(url.trim());
  if (!m)
    throw new Error(`invalid SSH target "${url}": expected ssh://[user@]host[:port] (an IPv6 address in brackets)`);
  const [, user, rawHost, rawPort] = m;
  const host = rawHost!.startsWith("[") ? rawHost!.slice(1, -1) : rawHost!;
  const out: SshTarget = { host };
  if (user) out.user = decodeURIComponent(user);
  if (rawPort !== undefined) {
    const port = Number(rawPort);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`invalid SSH target "${url}": port ${rawPort} is not in 1-65535`);
    out.port = port;
  }
  return out;
}

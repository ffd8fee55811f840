// A password written into a URL (`rest:https://user:pw@host/repo`, duplicity's `sftp://user:pw@host/path`):
// found, so that the run's secrets redact it everywhere, and masked (`user:***@host`) where the URL is shown.

/** `scheme://user:password@`, anywhere in the text (restic's `rest:` prefixes an http URL). */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*):([^@/\s]*)@/gi;

/** The passwords a URL holds, as written and percent-decoded. */
export function urlPasswords(url: string): string[] {
  const found = new Set<string>();
  for (const m of url.matchAll(USERINFO)) {
    const pw = m[2]!;
    if (!pw) continue;
    found.add(pw);
    try {
      found.add(decodeURIComponent(pw));
    } catch {
      // not percent-encoded text: kept as written
    }
  }
  return [...found];
}

/** The URL with each password it holds replaced by `***`. */
export function maskUrl(url: string): string {
  return url.replace(USERINFO, (_all, before: string, pw: string) => `${before}:${pw ? "***" : ""}@`);
}

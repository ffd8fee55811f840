// The header that carries a command's environment to the remote wrapper on its standard input, so no
// value (secrets included) is ever on a command line: one base64 `NAME=value` line per variable, then
// an empty line; the command's own input follows.

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws for a name a shell could not export. */
export function encodeEnvHeader(env: Record<string, string> = {}): string {
  let out = "";
  for (const [name, value] of Object.entries(env)) {
    if (!NAME_RE.test(name)) throw new Error(`invalid environment variable name "${name}"`);
    out += `${Buffer.from(`${name}=${value}`, "utf8").toString("base64")}\n`;
  }
  return `${out}\n`;
}

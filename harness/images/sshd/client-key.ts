// A run's SSH client key (made with this host's ssh-keygen, private part 0600 and never read by
// drdrill) and the known_hosts file that pins one host's key.
import { execa } from "execa";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EnvironmentError } from "../../model/errors.ts";

export interface ClientKey {
  /** The private key file (mode 0600). */
  identityFile: string;
  /** The public key line, `ssh-ed25519 AAAA... comment`. */
  publicKey: string;
}

const making = new Map<string, Promise<ClientKey>>();

async function make(dir: string): Promise<ClientKey> {
  const identityFile = join(dir, "id_ed25519");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const exists = await stat(identityFile).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const r = await execa(
      "ssh-keygen",
      ["-q", "-t", "ed25519", "-N", "", "-C", `drdrill-run-${process.pid}`, "-f", identityFile],
      { reject: false, stdin: "ignore" },
    );
    if ((r as { code?: string }).code === "ENOENT")
      throw new EnvironmentError("ssh-keygen is missing: install OpenSSH's client (`bash ci/setup.sh tools`)");
    if (r.exitCode !== 0)
      throw new EnvironmentError(`ssh-keygen failed for ${identityFile}: ${String(r.stderr).trim()}`);
  }
  await chmod(identityFile, 0o600);
  return { identityFile, publicKey: (await readFile(`${identityFile}.pub`, "utf8")).trim() };
}

/** The run's client key in `dir`, made once (also when several hosts start at the same time). */
export function runClientKey(dir: string): Promise<ClientKey> {
  let p = making.get(dir);
  if (!p) {
    p = make(dir);
    making.set(dir, p);
    p.catch(() => making.delete(dir));
  }
  return p;
}

/** Writes a known_hosts file that accepts exactly these host keys (`type base64`) for `host`:`port`. */
export async function writeKnownHosts(file: string, host: string, port: number, keys: string[]): Promise<void> {
  const name = port === 22 ? host : `[${host}]:${port}`;
  await writeFile(file, keys.map((k) => `${name} ${k}\n`).join(""), { mode: 0o600 });
}

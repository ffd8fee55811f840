// Finds the Debian mirror this host's apt already uses (one-line and deb822 sources), so the images
// are built from the same mirror and no registry host is ever written into a file.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { EnvironmentError } from "../model/errors.ts";

export interface DebianMirrors {
  main: string;
  security: string;
}

interface Source {
  uri: string;
  suites: string[];
}

/** Parses sources.list lines (`deb URI SUITE ...`) and .sources stanzas (`URIs:`, `Suites:`). */
export function parseAptSources(text: string, deb822: boolean): Source[] {
  const out: Source[] = [];
  if (!deb822) {
    for (const raw of text.split("\n")) {
      const m = /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(raw);
      if (m) out.push({ uri: m[1]!, suites: [m[2]!] });
    }
    return out;
  }
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string) =>
      stanza
        .split("\n")
        .filter((l) => !l.trimStart().startsWith("#"))
        .map((l) => new RegExp(`^${name}:\\s*(.*)$`, "i").exec(l)?.[1])
        .find(Boolean);
    const types = (field("Types") ?? "").split(/\s+/);
    if (!types.includes("deb") || /^\s*Enabled:\s*no/im.test(stanza)) continue;
    const suites = (field("Suites") ?? "").split(/\s+/).filter(Boolean);
    for (const uri of (field("URIs") ?? "").split(/\s+/).filter(Boolean)) out.push({ uri, suites });
  }
  return out;
}

/** The first source that serves `suite`, and the one that serves `suite`-security. */
export function pickMirrors(sources: Source[], suite = "bookworm"): Partial<DebianMirrors> {
  const main = sources.find((s) => s.suites.includes(suite))?.uri;
  const security =
    sources.find((s) => s.suites.includes(`${suite}-security`))?.uri ??
    (main ? `${main.replace(/\/+$/, "")}-security` : undefined);
  return { ...(main ? { main } : {}), ...(security ? { security } : {}) };
}

/** From DRDRILL_DEBIAN_MIRROR / DRDRILL_DEBIAN_SECURITY_MIRROR, else /etc/apt/sources.list{,.d}. */
export async function hostDebianMirrors(
  env: NodeJS.ProcessEnv = process.env,
  aptDir = "/etc/apt",
): Promise<DebianMirrors | null> {
  const sources: Source[] = [];
  const list = await readFile(join(aptDir, "sources.list"), "utf8").catch(() => "");
  sources.push(...parseAptSources(list, false));
  for (const name of (await readdir(join(aptDir, "sources.list.d")).catch(() => [])).sort()) {
    if (!name.endsWith(".list") && !name.endsWith(".sources")) continue;
    const text = await readFile(join(aptDir, "sources.list.d", name), "utf8").catch(() => "");
    sources.push(...parseAptSources(text, name.endsWith(".sources")));
  }
  const found = pickMirrors(sources);
  const main = env.DRDRILL_DEBIAN_MIRROR || found.main;
  const security =
    env.DRDRILL_DEBIAN_SECURITY_MIRROR || found.security || (main ? `${main.replace(/\/+$/, "")}-security` : undefined);
  return main && security ? { main, security } : null;
}

/**
 * The environment of an image build: the mirrors travel in it only (`--build-arg NAME` without a
 * value reads it from there), with docker's classic builder; `what` names the build in the error.
 */
export async function mirrorBuildEnv(what: string): Promise<Record<string, string>> {
  const mirrors = await hostDebianMirrors();
  if (!mirrors)
    throw new EnvironmentError(
      `${what}: no Debian bookworm mirror in this host's apt sources; set DRDRILL_DEBIAN_MIRROR`,
    );
  return { DEBIAN_MIRROR: mirrors.main, DEBIAN_SECURITY_MIRROR: mirrors.security, DOCKER_BUILDKIT: "0" };
}

// The agent as it ships: one standard-library Python file, built from its source split by concern
// (harness/agent/py/*.py) by a deterministic concatenation, so `python3 drdrill-agent.py` runs on any
// host with Python 3.8+ alone. Built on first use, kept in the user's cache under its content's hash.
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PY_DIR = fileURLToPath(new URL("./py/", import.meta.url));

/** The modules, in the order they are joined: each imports only from those before it. */
export const AGENT_MODULES = [
  "proto",
  "mounts",
  "walk",
  "confine",
  "hasher",
  "manifest",
  "ops_read",
  "ops_change",
  "ops_replace",
  "ops_long",
  "server",
] as const;

const HEADER = `# drdrill's agent: every file operation a drill makes on a target (manifest, faults, staging, sizes)
# runs here, on the machine where the files are, confined to one root directory (confine.py below).
# It is run as \`python3 -I -B -S drdrill-agent.py\` with one JSON request on stdin and answers with JSON
# lines on stdout, the last of which is {"ok": true, "result": ...} or {"ok": false, "error": ...}
# (\`--serve\`: one request per line until stdin closes). Python 3.8+, standard library only.
#
# BUILT FILE: joined from harness/agent/py/*.py by harness/agent/agent-script.ts; edit those.
`;

const RELATIVE_IMPORT = /^from \.(\w+) import (.+)$/;
const TOP_LEVEL_NAME = /^(?:def|class) (\w+)|^([A-Z_][A-Z0-9_]*) =/;

/** The one file, joined from the modules: their `from .x import` lines dropped (one namespace), checked. */
export function buildAgentSource(): string {
  const defined = new Map<string, string>();
  const parts: string[] = [HEADER];
  for (const mod of AGENT_MODULES) {
    const text = readFileSync(join(PY_DIR, `${mod}.py`), "utf8");
    const kept: string[] = [];
    for (const [i, line] of text.split("\n").entries()) {
      const rel = RELATIVE_IMPORT.exec(line);
      if (rel) {
        const from = rel[1]!;
        if (!(AGENT_MODULES as readonly string[]).includes(from))
          throw new Error(`agent/py/${mod}.py:${i + 1}: imports from .${from}, which is not an agent module`);
        for (const name of rel[2]!.split(",").map((s) => s.trim()))
          if (defined.get(name) !== from)
            throw new Error(`agent/py/${mod}.py:${i + 1}: ${name} is not defined in an earlier module .${from}`);
        continue;
      }
      if (/^from \.|^import \./.test(line) || /^from \. /.test(line))
        throw new Error(`agent/py/${mod}.py:${i + 1}: write relative imports as one line "from .x import a, b"`);
      const top = TOP_LEVEL_NAME.exec(line);
      const name = top?.[1] ?? top?.[2];
      if (name) {
        const before = defined.get(name);
        if (before && before !== mod)
          throw new Error(`agent/py/${mod}.py:${i + 1}: ${name} is defined in ${before}.py too (one namespace)`);
        defined.set(name, mod);
      }
      kept.push(line);
    }
    parts.push(`\n# ${"-".repeat(98)}\n# ${mod}.py\n${kept.join("\n").trimEnd()}\n`);
  }
  return parts.join("");
}

/** A folder of this user's that nobody else can write to, or null. */
function ownCacheDir(): string | null {
  const base = process.env.XDG_CACHE_HOME?.startsWith("/") ? process.env.XDG_CACHE_HOME : join(homedir(), ".cache");
  const dir = join(base, "drdrill");
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return null;
    return dir;
  } catch {
    return null;
  }
}

let built: { path: string; source: string } | null = null;

/** The built agent's text (what a target uploads). */
export function agentSource(): string {
  return (built ??= build()).source;
}

/** The built agent's path on this machine (what the local agent runs). */
export function agentScript(): string {
  return (built ??= build()).path;
}

function build(): { path: string; source: string } {
  const source = buildAgentSource();
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const dir = ownCacheDir() ?? mkdtempSync(join(tmpdir(), "drdrill-agent-"));
  const path = join(dir, `drdrill-agent-${hash}.py`);
  const current = (() => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return null;
    }
  })();
  if (current !== source) {
    const part = `${path}.${process.pid}.part`;
    writeFileSync(part, source, { mode: 0o644 });
    renameSync(part, path);
  }
  return { path, source };
}

// The agent's protocol, written once: every request kind with its parameters, the lines it streams
// and its answer, as runtime schemas (zod) from which the TypeScript types are derived. The agent's
// table of operations (py/server.py) names the same kinds; a contract test runs each against it.
import { z } from "zod";

const int = z.number().int();
const count = int.min(0);
const relPath = z.string();

const refusal = z.object({ path: z.string(), reason: z.string() }).strict();

/** What a changing operation did: how many paths, entries and bytes it touched, and what it refused. */
const touch = z
  .object({
    touched: count,
    entries: count,
    bytes: int,
    refused: z.array(refusal),
    refusedCount: count,
    examples: z.array(z.string()),
  })
  .strict();

const entryType = z.enum(["file", "dir", "symlink", "fifo", "socket", "char", "block"]);

/** One manifest line: [rel, type, size, mode, uid, gid, mtimeNs, link, hardlinkOf, xattrs, sha256?]. */
const rawEntry = z.tuple([
  z.string(),
  entryType,
  count,
  count,
  count,
  count,
  z.string().regex(/^-?\d+$/),
  z.string().nullable(),
  z.string().nullable(),
  z.record(z.string(), z.string()).nullable(),
  z.string().optional(),
]);

const patchItem = z.union([
  z.object({ path: relPath, offset: count, length: count, mode: z.literal("overwrite"), byte: int.optional() }),
  z.object({ path: relPath, offset: count, length: count, mode: z.literal("flip") }),
  z.object({ path: relPath, truncate: count }),
]);

const statResult = z.union([
  z.object({ type: entryType, size: count }).strict(),
  z.object({ refused: z.string() }).strict(),
  z.null(),
]);

const noLines = z.never();

/** Every request kind: its parameters, the lines it prints before its answer, its answer. */
export const AGENT_OPS = {
  manifest: {
    params: z.object({
      exclude: z.array(relPath),
      under: relPath,
      xattrs: z.boolean(),
      skipHashBeforeCtimeNs: z.string().optional(),
      workers: int.min(1).optional(),
    }),
    line: z.object({ e: rawEntry }).strict(),
    result: z
      .object({
        files: count,
        bytes: count,
        xattrsRead: z.boolean(),
        /** Folders the walk was kept out of (mount points, other file systems, links swapped in). */
        notEntered: z.array(refusal),
        notEnteredCount: count,
      })
      .strict(),
  },
  list: {
    params: z.object({ under: relPath }),
    line: z
      .object({ f: z.object({ path: z.string(), size: count, outsideLinks: count.optional() }).strict() })
      .strict(),
    result: z.object({ files: count, skipped: z.array(refusal), skippedCount: count }).strict(),
  },
  hash: {
    params: z.object({ paths: z.array(relPath), readOnly: z.boolean().optional() }),
    line: noLines,
    result: z.object({ digests: z.record(z.string(), z.string().nullable()), refused: z.array(refusal) }).strict(),
  },
  size: {
    params: z.object({}),
    line: noLines,
    result: z.object({ bytes: count, files: count, hardLinked: count, otherMounts: count }).strict(),
  },
  read: {
    params: z.object({ path: relPath, maxBytes: count.optional() }),
    line: noLines,
    result: z.object({ content: z.string().nullable() }).strict(),
  },
  stat: {
    params: z.object({ paths: z.array(relPath) }),
    line: noLines,
    result: z.object({ stat: z.record(z.string(), statResult) }).strict(),
  },
  resolve: {
    params: z.object({ path: z.string().startsWith("/") }),
    line: noLines,
    result: z
      .object({
        real: z.string(),
        links: z.array(z.object({ path: z.string(), to: z.string() }).strict()),
        isDir: z.boolean(),
      })
      .strict(),
  },
  delete: {
    params: z.object({ paths: z.array(relPath), retries: count.optional() }),
    line: noLines,
    result: touch,
  },
  patch: {
    params: z.object({ items: z.array(patchItem) }),
    line: noLines,
    result: touch.extend({ items: z.array(z.record(z.string(), z.union([z.string(), z.number()]))) }),
  },
  encrypt: {
    params: z.object({ paths: z.array(relPath), extension: z.string().min(1) }),
    line: noLines,
    result: touch,
  },
  write: {
    params: z.object({
      path: relPath,
      content: z.string(),
      mode: int.optional(),
      parents: z.boolean().optional(),
      append: z.boolean().optional(),
    }),
    line: noLines,
    result: z.object({ path: z.string(), bytes: count }).strict(),
  },
  mkdir: {
    params: z.object({ path: relPath, mode: int.optional(), existOk: z.boolean().optional() }),
    line: noLines,
    result: z.object({ path: z.string() }).strict(),
  },
  replace: {
    params: z.object({ from: relPath, to: relPath, contents: z.boolean().optional() }),
    line: noLines,
    result: z.discriminatedUnion("mode", [
      /** The folder kept in place, its contents swapped: `moved` entries went into it. */
      touch.extend({ mode: z.literal("contents"), moved: count }),
      /** The tree renamed in; the old one, if any, renamed beside it (`displaced`), for the caller to remove. */
      touch.extend({ mode: z.literal("rename"), displaced: z.string().optional() }),
    ]),
  },
  mutate: {
    params: z.object({
      files: z.array(z.object({ path: relPath, size: count })),
      stopFile: z.string().startsWith("/"),
      chunk: int.min(1).optional(),
    }),
    line: z.union([
      z.object({ v: z.object({ path: z.string(), k: count, sha256: z.string() }).strict() }).strict(),
      z.object({ started: z.literal(true) }).strict(),
    ]),
    result: z.object({ rewrites: count, versions: count, refused: z.array(refusal) }).strict(),
  },
  loadwriter: {
    params: z.object({
      path: relPath,
      intervalMs: z.number().positive().optional(),
      heartbeat: z.string().startsWith("/").optional(),
      staleS: z.number().positive().optional(),
      pidFile: z.string().startsWith("/").optional(),
    }),
    line: noLines,
    result: z.object({ written: count, lastSeq: count }).strict(),
  },
  flush: {
    params: z.object({}),
    line: noLines,
    result: z.object({ ms: z.number().min(0) }).strict(),
  },
} as const;

/** What every request carries besides its own parameters: the root, and how it is opened. */
export const rootParams = z.object({
  root: z.string().startsWith("/"),
  /** Make the root (and its parents) when missing. */
  create: z.boolean().optional(),
  /** Reach the root from / without following any symlink on the way (a data directory of a host). */
  rootNoFollow: z.boolean().optional(),
});

export type AgentOp = keyof typeof AGENT_OPS;
export const AGENT_OP_NAMES = Object.keys(AGENT_OPS) as AgentOp[];
type OwnParams<K extends AgentOp> = z.input<(typeof AGENT_OPS)[K]["params"]>;
/** A request's fields: its kind's own (none for `size` and `flush`) and the root's. */
export type AgentParams<K extends AgentOp> = (OwnParams<K> extends Record<string, never> ? object : OwnParams<K>) &
  z.input<typeof rootParams>;
export type AgentLine<K extends AgentOp> = z.output<(typeof AGENT_OPS)[K]["line"]>;
export type AgentAnswer<K extends AgentOp> = z.output<(typeof AGENT_OPS)[K]["result"]>;
export type AgentRefusal = z.output<typeof refusal>;
export type AgentTouch = z.output<typeof touch>;
export type AgentRawEntry = z.output<typeof rawEntry>;
export type AgentPatchItem = z.output<typeof patchItem>;
export type AgentStat = z.output<typeof statResult>;
/** A replace that kept the folder in place (asked with `contents`, or forced by a mount point). */
export type AgentContentsSwap = Extract<AgentAnswer<"replace">, { mode: "contents" }>;

/** One request as the agent reads it (a JSON line), checked against the table first. */
export function requestLine<K extends AgentOp>(op: K, params: AgentParams<K>): string {
  const own = AGENT_OPS[op].params.strict().safeParse(omitRoot(params));
  if (!own.success) throw new Error(`agent ${op}: a request the protocol does not allow: ${own.error.message}`);
  rootParams.parse(pickRoot(params));
  return `${JSON.stringify({ op, ...params })}\n`;
}

function omitRoot(p: Record<string, unknown>): Record<string, unknown> {
  const { root: _r, create: _c, rootNoFollow: _n, ...own } = p;
  return own;
}

function pickRoot(p: Record<string, unknown>): Record<string, unknown> {
  return { root: p.root, create: p.create, rootNoFollow: p.rootNoFollow };
}

/** The answer read as what the table says it is, or an error naming what differs. */
export function parseAnswer<K extends AgentOp>(op: K, result: unknown): AgentAnswer<K> {
  const r = AGENT_OPS[op].result.safeParse(result);
  if (!r.success) throw new Error(`agent ${op}: an answer the protocol does not describe: ${z.prettifyError(r.error)}`);
  return r.data as AgentAnswer<K>;
}

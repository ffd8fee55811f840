// The agent's contract: every request kind of the protocol's table (harness/agent/protocol.ts) is run
// against the real agent, built as it ships and run by python3 here, and every line and answer it
// prints is read with the table's schemas (strict: a field the table does not name fails). A request
// kind without a case here fails, and so does a kind the agent and the table do not both know.
import { execa } from "execa";
import { mkdir, readFile, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { agentScript, LOCAL_PYTHON } from "../../harness/agent/agent.ts";
import { localAgent } from "../../harness/agent/local-dir.ts";
import {
  AGENT_OP_NAMES,
  AGENT_OPS,
  requestLine,
  type AgentAnswer,
  type AgentLine,
  type AgentOp,
  type AgentParams,
} from "../../harness/agent/protocol.ts";
import { tmp } from "../helpers/tmp.ts";

interface Ran<K extends AgentOp> {
  answer: AgentAnswer<K>;
  lines: AgentLine<K>[];
}

/** One request to a one-shot agent; every line and the answer read with the table's schemas. */
async function run<K extends AgentOp>(
  op: K,
  params: AgentParams<K>,
  during?: (lines: unknown[]) => Promise<void>,
): Promise<Ran<K>> {
  const child = execa(LOCAL_PYTHON, ["-I", "-B", "-S", agentScript()], {
    input: requestLine(op, params),
    reject: false,
  });
  const seen: unknown[] = [];
  child.stdout.on("data", (d: Buffer) => {
    for (const l of d.toString().split("\n")) if (l.startsWith("{")) seen.push(JSON.parse(l));
  });
  await during?.(seen);
  const r = await child;
  const printed = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const final = printed.pop()!;
  expect(final, r.stderr).toMatchObject({ ok: true });
  const lines = printed.map((l) => AGENT_OPS[op].line.parse(l)) as AgentLine<K>[];
  return { answer: AGENT_OPS[op].result.parse(final.result) as AgentAnswer<K>, lines };
}

let root: string;

beforeEach(async () => {
  root = join(await tmp(), "root");
  await mkdir(join(root, "lib/mysql"), { recursive: true });
  await writeFile(join(root, "lib/mysql/ib0.dat"), Buffer.alloc(4096, 1));
  await writeFile(join(root, "lib/mysql/ib1.dat"), Buffer.alloc(5000, 2));
  await writeFile(join(root, "top.txt"), "top\n");
  await symlink("/etc", join(root, "ld"));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A case for every request kind: the record's type makes a missing kind a compile error too. */
const CASES: Record<AgentOp, () => Promise<void>> = {
  async manifest() {
    const { answer, lines } = await run("manifest", { root, exclude: ["top.txt"], under: ".", xattrs: true });
    const rels = lines.map((l) => l.e[0]).sort();
    expect(rels).toEqual([".", "ld", "lib", "lib/mysql", "lib/mysql/ib0.dat", "lib/mysql/ib1.dat"]);
    expect(lines.find((l) => l.e[0] === "lib/mysql/ib0.dat")!.e[10]).toMatch(/^[0-9a-f]{64}$/);
    expect(answer).toMatchObject({ files: 2, bytes: 9096, notEnteredCount: 0 });
  },
  async list() {
    const { answer, lines } = await run("list", { root, under: "lib" });
    expect(lines.map((l) => l.f.path)).toEqual(["lib/mysql/ib0.dat", "lib/mysql/ib1.dat"]);
    expect(answer.files).toBe(2);
  },
  async hash() {
    const { answer } = await run("hash", { root, paths: ["top.txt", "gone", "ld"] });
    expect(answer.digests["top.txt"]).toMatch(/^[0-9a-f]{64}$/);
    expect(answer.digests.gone).toBeNull();
    expect(answer.refused.map((r) => r.path)).toEqual(["ld"]);
  },
  async size() {
    expect((await run("size", { root })).answer).toEqual({ bytes: 9100, files: 3, hardLinked: 0, otherMounts: 0 });
  },
  async read() {
    const { answer } = await run("read", { root, path: "top.txt" });
    expect(Buffer.from(answer.content!, "base64").toString()).toBe("top\n");
  },
  async stat() {
    const { answer } = await run("stat", { root, paths: ["lib", "ld/passwd", "gone"] });
    expect(answer.stat.lib).toEqual({ type: "dir", size: expect.any(Number) });
    expect(answer.stat["ld/passwd"]).toMatchObject({ refused: expect.stringMatching(/not followed/) });
    expect(answer.stat.gone).toBeNull();
  },
  async resolve() {
    const { answer } = await run("resolve", { root: "/", path: `${root}/ld/passwd` });
    expect(answer).toEqual({ real: "/etc/passwd", links: [{ path: `${root}/ld`, to: "/etc" }], isDir: false });
  },
  async delete() {
    const { answer } = await run("delete", { root, paths: ["lib", "gone"] });
    expect(answer).toMatchObject({ touched: 1, entries: 4, refusedCount: 1 });
    expect(await stat(join(root, "lib")).catch(() => null)).toBeNull();
  },
  async patch() {
    const { answer } = await run("patch", {
      root,
      items: [
        { path: "lib/mysql/ib0.dat", offset: 0, length: 8, mode: "flip" },
        { path: "lib/mysql/ib1.dat", truncate: 10 },
      ],
    });
    expect(answer.items).toEqual([
      { path: "lib/mysql/ib0.dat", offset: 0, bytes: 8, size: 4096 },
      { path: "lib/mysql/ib1.dat", fromBytes: 5000, toBytes: 10 },
    ]);
  },
  async encrypt() {
    const { answer } = await run("encrypt", { root, paths: ["top.txt"], extension: ".locked" });
    expect(answer.touched).toBe(1);
    expect((await stat(join(root, "top.txt.locked"))).size).toBe(16 + 4);
  },
  async write() {
    const content = Buffer.from("written\n").toString("base64");
    const { answer } = await run("write", { root, path: "new/dir/f.txt", content, parents: true });
    expect(answer).toEqual({ path: "new/dir/f.txt", bytes: 8 });
  },
  async mkdir() {
    expect((await run("mkdir", { root, path: "made", mode: 0o700 })).answer).toEqual({ path: "made" });
  },
  async replace() {
    await mkdir(join(root, "stage/lib"), { recursive: true });
    await writeFile(join(root, "stage/lib/restored.txt"), "r");
    const renamed = await run("replace", { root, from: "stage/lib", to: "lib" });
    expect(renamed.answer).toMatchObject({ mode: "rename", displaced: expect.stringMatching(/^lib\.displaced-\d+$/) });
    await mkdir(join(root, "stage2/lib"), { recursive: true });
    const swapped = await run("replace", { root, from: "stage2/lib", to: "lib", contents: true });
    expect(swapped.answer).toMatchObject({ mode: "contents", moved: 0 });
  },
  async mutate() {
    const stopFile = join(root, "..", "stop");
    const { answer, lines } = await run(
      "mutate",
      { root, files: [{ path: "lib/mysql/ib0.dat", size: 4096 }], stopFile },
      async (seen) => {
        for (let i = 0; i < 200 && !seen.some((l) => (l as { v?: { k: number } }).v?.k === 2); i++) await sleep(10);
        await writeFile(stopFile, "stop\n");
      },
    );
    expect(lines.some((l) => "started" in l)).toBe(true);
    expect(answer.rewrites).toBeGreaterThanOrEqual(1);
  },
  async loadwriter() {
    const heartbeat = join(root, "..", "heartbeat");
    const pidFile = join(root, "..", "writer.pgid");
    await writeFile(heartbeat, "");
    const load = join(root, "lib/mysql/load.jsonl");
    const records = async () => (await readFile(load, "utf8").catch(() => "")).split("\n").length - 1;
    const { answer } = await run(
      "loadwriter",
      { root, path: "lib/mysql/load.jsonl", intervalMs: 20, heartbeat, staleS: 0.3, pidFile },
      // drdrill's heartbeat, kept fresh (however slow the agent is to start) until a few records are
      // written; then left to go stale, which ends the writer.
      async () => {
        for (let i = 0; i < 300 && (await records()) < 3; i++) {
          const now = new Date();
          await utimes(heartbeat, now, now);
          await sleep(50);
        }
      },
    );
    expect(answer.written).toBeGreaterThan(2);
    expect(answer.lastSeq).toBe(answer.written);
    expect(Number(await readFile(pidFile, "utf8"))).toBeGreaterThan(1);
  },
  async flush() {
    expect((await run("flush", { root })).answer.ms).toBeGreaterThanOrEqual(0);
  },
};

describe("the agent's protocol", () => {
  it("has a contract case for every request kind of the table", () => {
    expect(Object.keys(CASES).sort()).toEqual([...AGENT_OP_NAMES].sort());
  });

  it("the agent knows exactly the table's request kinds", async () => {
    const r = await execa(LOCAL_PYTHON, ["-I", "-B", "-S", agentScript()], {
      input: '{"op":"no-such-op","root":"/"}\n',
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    const known = /known: ([^)]*)\)/.exec(r.stdout)?.[1]?.split(", ");
    expect(known?.sort()).toEqual([...AGENT_OP_NAMES].sort());
  });

  for (const op of AGENT_OP_NAMES) it(`${op}: its lines and its answer are what the table says`, () => CASES[op]());

  it("the long-lived agent answers as the one-shot one does, checked the same way", async () => {
    const agent = localAgent();
    try {
      expect(await agent.call("size", { root })).toEqual({ bytes: 9100, files: 3, hardLinked: 0, otherMounts: 0 });
      await expect(agent.call("stat", { root, paths: ["lib"] })).resolves.toMatchObject({
        stat: { lib: { type: "dir" } },
      });
    } finally {
      agent.close();
    }
  });

  it("two restores put in place by one long-lived agent (one pid): each displaced tree has its own name", async () => {
    const agent = localAgent();
    try {
      for (const k of [1, 2]) {
        await mkdir(join(root, `stage${k}/lib`), { recursive: true });
        await writeFile(join(root, `stage${k}/lib/restored.txt`), `restore ${k}\n`);
      }
      const first = await agent.call("replace", { root, from: "stage1/lib", to: "lib" });
      const second = await agent.call("replace", { root, from: "stage2/lib", to: "lib" });
      if (first.mode !== "rename" || second.mode !== "rename") throw new Error("expected two renames");
      expect(second.displaced).toBe(`${first.displaced}-2`);
      expect(await readFile(join(root, "lib/restored.txt"), "utf8")).toBe("restore 2\n");
      expect(await readFile(join(root, second.displaced!, "restored.txt"), "utf8")).toBe("restore 1\n");
      expect((await stat(join(root, first.displaced!, "mysql/ib0.dat"))).size).toBe(4096);
    } finally {
      agent.close();
    }
  });

  it("a request the table does not allow never reaches the agent; a missing field is a clear error", async () => {
    expect(() => requestLine("delete", { root, paths: ["x"], recursive: true } as never)).toThrow(/recursive/);
    const r = await execa(LOCAL_PYTHON, ["-I", "-B", "-S", agentScript()], {
      input: JSON.stringify({ op: "delete", root }) + "\n",
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: "bad request: KeyError 'paths'" });
  });
});

// The run folder of one `drdrill run`: unique (time plus randomness), taken by creating its mark
// exclusively (cli/run-mark.ts) so two runs never share one, and a non-empty --out refused unless the
// user says to replace it; --replace replaces only a finished drdrill run folder holding nothing else.
import { randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, readlink, realpath, rename, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../model/errors.ts";
import { deleteTree } from "../runner/remove-tree.ts";
import { newRunId } from "../runner/results-file.ts";
import { mountsUnder } from "../util/mounts.ts";
import { claimedBy, claimRunFolder, MARK, writeMark } from "./run-mark.ts";

const issue = (message: string) =>
  new InputError([{ file: "(command line)", line: 1, column: 1, path: "--out", message }]);

/** What drdrill writes in a run folder; anything else makes it a folder --replace does not touch. */
const RUN_FILES = new Set([
  MARK,
  "journal.jsonl",
  "results.json",
  "report.md",
  "index.html",
  "junit.xml",
  "logs",
  "work",
  "scenarios",
]);
const isRunFile = (name: string) =>
  RUN_FILES.has(name) ||
  claimedBy(name) !== null ||
  /^evidence-[\w-]+\.tar\.gz$/.test(name) ||
  /^work\.removing-\d+-\d+$/.test(name);

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
}

function why(e: unknown, dir: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS")
    return issue(`cannot create ${dir}: permission denied (a read-only folder?)`);
  if (code === "ENOTDIR") return issue(`cannot create ${dir}: a part of the path is a file`);
  if (code === "EEXIST") return issue(`${dir} was just taken by another run; choose another folder`);
  return issue(`cannot create ${dir}: ${(e as Error).message}`);
}

/** Makes `dir` (or takes it empty as it is) and marks it; EEXIST when another run marked it first. */
async function take(dir: string, runId: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== "EEXIST") throw e;
  });
  await writeMark(dir, runId);
}

/** Takes `out` as a run folder whose --out is a link: the folder it names, or a clear refusal. */
async function followLink(path: string, out: string): Promise<string> {
  const target = await readlink(path);
  const real = await realpath(path).catch(() => null);
  if (real === null)
    throw issue(
      `${out} is a symbolic link to ${target}, which does not exist: give a folder, or make the link's target`,
    );
  return real;
}

/** Replaces a finished run folder (see claimRunFolder), or refuses with the reason (exit 2). */
async function replaceRun(dir: string, out: string, entries: string[]): Promise<void> {
  const foreign = entries.filter((n) => !isRunFile(n));
  if (foreign.length > 0)
    throw issue(
      `${out} holds ${foreign
        .slice(0, 5)
        .map((n) => `"${n}"`)
        .join(", ")}${foreign.length > 5 ? ` and ${foreign.length - 5} more` : ""}, which drdrill did not write: ` +
        "--replace only replaces a drdrill run folder holding nothing else",
    );
  // A folder a run left a mount point in (a bind mount at lib/extra, say) is not replaced: its files
  // are not drdrill's, and the removal below must never delete through it.
  const mounts = await mountsUnder(dir);
  if (mounts && mounts.length > 0)
    throw issue(
      `${out} holds ${mounts.length} mount point(s) (${mounts.slice(0, 3).join(", ")}` +
        `${mounts.length > 3 ? ", ..." : ""}): ` +
        "--replace never deletes through a mount point; unmount them first",
    );
  const claim = await claimRunFolder(dir, entries);
  if (!claim.ok) throw issue(`${out} ${claim.why}: --replace does not replace it; choose another folder`);
  // Set aside at once (the name is free again), then deleted.
  const aside = `${dir}.removing-${process.pid}-${Date.now()}`;
  await rename(dir, aside).catch((e: unknown) => {
    throw why(e, dir);
  });
  // Through the removal that leaves a mount point alone (one made after the check above stays).
  const left = await deleteTree(aside);
  if (left.length > 0) throw issue(`${aside}: ${left.join(", ")} mounted there meanwhile, left alone; unmount them`);
}

/**
 * Creates the run folder and returns its absolute path and the run id its mark holds; throws
 * InputError (exit 2) when it cannot be used.
 */
export async function takeRunFolder(
  out: string | undefined,
  opts: { replace?: boolean; root?: string } = {},
): Promise<{ dir: string; runId: string }> {
  const runId = newRunId();
  if (out === undefined) {
    const root = resolve(opts.root ?? "drdrill-runs");
    for (let i = 0; i < 5; i++) {
      const dir = join(root, `${stamp()}-${randomBytes(3).toString("hex")}`);
      try {
        await mkdir(dirname(dir), { recursive: true });
        await mkdir(dir);
        await writeMark(dir, runId);
        return { dir, runId };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw why(e, dir);
      }
    }
    throw issue(`could not take a new folder under ${root}`);
  }
  let dir = resolve(out);
  if ((await lstat(dir).catch(() => null))?.isSymbolicLink()) dir = await followLink(dir, out);
  const st = await stat(dir).catch(() => null);
  if (st && !st.isDirectory()) throw issue(`${out} is a file, not a folder`);
  if (st) {
    const entries = await readdir(dir).catch((e: unknown) => {
      throw why(e, dir);
    });
    if (entries.length > 0) {
      if (!opts.replace)
        throw issue(
          `${out} is not empty (a finished run?): choose a new folder, or add --replace to overwrite that run`,
        );
      await replaceRun(dir, out, entries);
    }
  }
  try {
    await take(dir, runId);
  } catch (e) {
    throw why(e, dir);
  }
  return { dir, runId };
}

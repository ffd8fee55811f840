// The run folder of one `drdrill run`: unique (time plus randomness), taken with an exclusive create
// so two runs never share one, and a non-empty --out refused unless the user says to replace it.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../model/errors.ts";

const issue = (message: string) =>
  new InputError([{ file: "(command line)", line: 1, column: 1, path: "--out", message }]);

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
}

async function takeExclusive(dir: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir);
}

function why(e: unknown, dir: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS")
    return issue(`cannot create ${dir}: permission denied (a read-only folder?)`);
  if (code === "ENOTDIR") return issue(`cannot create ${dir}: a part of the path is a file`);
  if (code === "EEXIST") return issue(`${dir} was just taken by another run; choose another folder`);
  return issue(`cannot create ${dir}: ${(e as Error).message}`);
}

/** Creates the run folder and returns its absolute path; throws InputError (exit 2) when it cannot be used. */
export async function takeRunFolder(
  out: string | undefined,
  opts: { replace?: boolean; root?: string } = {},
): Promise<string> {
  if (out === undefined) {
    const root = resolve(opts.root ?? "drdrill-runs");
    for (let i = 0; i < 5; i++) {
      const dir = join(root, `${stamp()}-${randomBytes(3).toString("hex")}`);
      try {
        await takeExclusive(dir);
        return dir;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw why(e, dir);
      }
    }
    throw issue(`could not take a new folder under ${root}`);
  }
  const dir = resolve(out);
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
      if (!entries.includes("journal.jsonl") && !entries.includes("results.json")) {
        throw issue(
          `${out} is not a drdrill run folder (no journal.jsonl or results.json): --replace only replaces a run`,
        );
      }
      await rm(dir, { recursive: true, force: true }).catch((e: unknown) => {
        throw why(e, dir);
      });
    } else {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  }
  try {
    await takeExclusive(dir);
  } catch (e) {
    throw why(e, dir);
  }
  return dir;
}

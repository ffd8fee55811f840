// A built-in tool's `args:` setting: the user's own flags, passed after drdrill's, and the options a
// tool refuses there because they would break what drdrill relies on (its repository, its secrets).
import { z } from "zod";
import type { Problem } from "../rules/context.ts";

export const toolArgs = z
  .object({
    backup: z.array(z.string()).default([]).describe("Flags added to each backup call, after drdrill's own."),
    restore: z.array(z.string()).default([]).describe("Flags added to each restore call, after drdrill's own."),
  })
  .strict()
  .default({ backup: [], restore: [] })
  .describe("The user's own flags for the tool's backup and restore calls.");

export type ToolArgs = z.infer<typeof toolArgs>;

/** An option drdrill sets itself: its names (long, short), and why a user may not give it. */
export interface RefusedOption {
  names: readonly string[];
  /** Or the arguments it matches (a destination URL). */
  pattern?: RegExp;
  why: string;
}

/**
 * Whether an argument gives the option: `--repo=x`, `--repo`, `-r`, `-rX` (a value glued on) or a
 * bundle of short options holding it (`-vf`). Strict on purpose: a glued value holding the letter
 * (`-eroot`) is refused too, and the user splits it (`-e root`).
 */
function matches(arg: string, name: string): boolean {
  if (name.startsWith("--")) return arg === name || arg.startsWith(`${name}=`);
  if (arg.startsWith("--") || !arg.startsWith("-")) return false;
  const letters = /^-([A-Za-z]*)/.exec(arg)![1]!;
  return letters.includes(name.slice(1)) || arg.startsWith(name);
}

/** A secret on a command line is readable by every user of the host (ps): refused with every tool. */
const SECRET_WORDS = /passphrase|password|passcommand/i;

/** Whether an argument is refused: one of the tool's own options, a pattern (a URL), or a secret-bearing one. */
function refusal(arg: string, refused: readonly RefusedOption[]): RefusedOption | undefined {
  if (SECRET_WORDS.test(arg))
    return { names: [], why: "a secret on a command line; drdrill passes it in the environment" };
  return refused.find((r) => r.names.some((n) => matches(arg, n)) || r.pattern?.test(arg));
}

/** The option's name only (`--x` of `--x=v`, `-p` of `-pv`): its value may be a secret. */
function shown(arg: string): string {
  if (arg.startsWith("--")) return arg.split("=")[0]!.slice(0, 40);
  if (arg.startsWith("-")) return arg.slice(0, 2);
  return SECRET_WORDS.test(arg) ? "(a value)" : arg.slice(0, 40);
}

/** One problem per refused option in `args`, at its field (`args.backup.1`). */
export function refusedArgs(tool: string, args: ToolArgs, refused: readonly RefusedOption[]): Problem[] {
  const problems: Problem[] = [];
  for (const op of ["backup", "restore"] as const) {
    args[op].forEach((arg, i) => {
      const hit = refusal(arg, refused);
      if (hit)
        problems.push({
          field: `args.${op}.${i}`,
          message: `${tool} ${op}: "${shown(arg)}" is refused: ${hit.why}`,
        });
    });
  }
  return problems;
}

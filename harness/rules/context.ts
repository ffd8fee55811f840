// What a plug-in's rules see of the run they judge, and how they answer. Before anything starts,
// each step, fault and tool of a scenario (and a store or a scenario source, later) is shown the run
// as the command line resolved it (target, site, tool and settings, size, repeats) and returns its
// problems, each placed at a field of the scenario.
import type { SiteSettings } from "../site/site-settings.ts";
import type { AnyAbility } from "./ability.ts";

/** One step of the scenario as plain data: `- backup: full` is { kind: "backup", params: "full" }. */
export interface StepEntry {
  readonly kind: string;
  readonly params: unknown;
}

/** The restore points (backups) there are before a step: made by earlier steps, or the scenario's source. */
export interface PointsMade {
  /** The fewest any run of the scenario has (a swept schedule takes fewer backups at a longer interval). */
  readonly fewest: number;
  /** The most any run has; 0: no run has a point to restore. */
  readonly most: number;
  /** A full backup is among them (an incremental needs one before it). */
  readonly full: boolean;
}

export const NO_POINTS: PointsMade = { fewest: 0, most: 0, full: false };

export interface RuleContext {
  /** The scenario file's folder: a path a scenario names is relative to it. */
  readonly dir: string;
  readonly scenario: {
    readonly name: string;
    readonly mode: "cold" | "hot";
    readonly steps: readonly StepEntry[];
    readonly sweep: { readonly every?: readonly string[]; readonly bandwidth?: readonly string[] };
    /** The data's size as the run seeds it (--size, else dataset.size); null for a copied tree (known once copied). */
    readonly sizeBytes: number | null;
    /** Runs per tools entry (--repeat, else the scenario's). */
    readonly repeat: number;
  };
  /** The target the run goes to, with its settings as the run sees them (the scenario's, then the command line's). */
  readonly target: { readonly name: string; readonly settings: Readonly<Record<string, unknown>> };
  /** The secondary site, when the backups go to one. */
  readonly site: SiteSettings | null;
  /** The tools entry being judged: its name, its settings, its place in `tools`. */
  readonly tool: {
    readonly name: string;
    readonly settings: Readonly<Record<string, unknown>>;
    readonly entry: number;
  };
  /** Whether the target or the site provides it. */
  provides(ability: AnyAbility): boolean;
  /** One problem per need nobody provides in this run, saying who needs what and where it can be had. */
  unmet(who: string, needs: readonly AnyAbility[]): Problem[];
}

export interface Problem {
  message: string;
  /** Where, below the plug-in's own entry, dotted ("rate", "restore.at"); absent: the entry itself. */
  field?: string;
  /** Or a place from the scenario's top (["mode"]), when the problem is shown elsewhere. */
  path?: readonly (string | number)[];
}

/** A problem moved below a key of its entry (a fault's problems, placed under the fault's name). */
export function under(key: string, p: Problem): Problem {
  return p.path ? p : { ...p, field: p.field ? `${key}.${p.field}` : key };
}

/** A problem that holds for one tools entry only: it names the entry ("(tools[1]: cp)"). */
export function forTool(ctx: RuleContext, message: string): string {
  return `${message} (tools[${ctx.tool.entry}]: ${ctx.tool.name})`;
}

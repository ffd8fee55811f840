// The interface of a scenario source: where a scenario's restore points come from other than its own
// backup steps (an existing repository a restore test reads, say). A source is a top-level key of
// the scenario named after it; it declares the points it holds (so a restore's rule "a point exists
// before me" counts them), its rules, and what it needs of the target or the site.
import type { z } from "zod";
import type { FaultRuleContext } from "../faults/fault.ts";
import type { Manifest } from "../model/manifest.ts";
import type { SiteEndpoint } from "../site/site.ts";
import type { SourceCheck } from "../steps/step.ts";
import type { AnyAbility } from "../rules/ability.ts";
import type { PointsMade, Problem, RuleContext } from "../rules/context.ts";

export interface SourceDef<P = unknown> {
  /** Its key in a scenario, e.g. `repository`. */
  name: string;
  description: string;
  schema: z.ZodType<P>;
  /** The restore points it holds before the first step. */
  points(params: P, ctx: RuleContext): PointsMade;
  /** What it needs of the target or the site: refused at validation where nobody provides it. */
  needs?: readonly AnyAbility[];
  /** Its rules, judged against the run as the command line resolved it. */
  validate?(params: P, ctx: FaultRuleContext): Problem[];
  /** The tools entry it implies (a scenario with the source names no `tools`). */
  tool(params: P): { name: string; settings: Record<string, unknown> };
  /** Where the tool finds the repository, not one of the run's own (a path: relative to the scenario's folder). */
  repository(params: P, scenarioDir: string): string;
  /**
   * Checks that need this machine (a variable set, a path there), made by `drdrill run` before anything
   * runs: not by `validate`, which judges the file wherever it is.
   */
  preflight?(params: P, env: NodeJS.ProcessEnv, scenarioDir: string): Problem[];
  /** How the tool reaches its repository over SSH (a key and pinned host keys), as it reaches site B. */
  endpoint?(params: P, scenarioDir: string): SiteEndpoint | undefined;
  /** Secrets its fields hold (a password written into a repository URL): redacted from everything the run writes. */
  secrets?(params: P): string[];
  /** How its repository is shown (in results.json, reports, the journal): without a password it holds. */
  shownRepository?(params: P, scenarioDir: string): string;
  /** Folders of this machine the run only reads (a repository, production): no run folder may be inside one. */
  readOnlyPaths?(params: P, scenarioDir: string): string[];
  /** Compares a restored point with what the source names (production, read only); null when it names nothing. */
  inspect?(params: P, restored: Manifest, pointMs: number, scenarioDir: string): Promise<SourceCheck | null>;
}

export function defineSource<P>(source: SourceDef<P>): SourceDef<P> {
  return source;
}

// The scenario file schema: one zod schema is the validator, the TypeScript types and the JSON Schema.
// It is made from the registries (steps, faults through the fault step, tools, targets, sources, stores);
// each plug-in's rules are its own (scenario/rules.ts asks them). Here: what is about the scenario
// as a whole.
import { z } from "zod";
import { OBJECTIVE_NAMES } from "../model/metrics.ts";
import { OUTCOMES } from "../model/outcome.ts";
import { ATTRIBUTES } from "../model/verification.ts";
import { parseThreshold } from "../objectives/parse.ts";
import { exactlyOne } from "../util/exactly-one.ts";
import { durationText, rateText, sizeText } from "../util/zod-units.ts";
import { createDestinationSchema } from "../site/site-settings.ts";
import { REGISTRIES, type Registries } from "./registries.ts";
import { expandEntry, keyProblems, type SweptSettings } from "./sweep-settings.ts";

/** Bounds shared with the command line (--repeat, --timeout): one rule for both. */
export const LIMITS = { repeatMax: 100, timeoutMinMs: 1000, jobsMax: 64 } as const;

const expectSchema = z.union([z.enum(OUTCOMES), z.array(z.enum(OUTCOMES)).min(1)]);

const objectivesSchema = z
  .partialRecord(z.enum(OBJECTIVE_NAMES as [string, ...string[]]), z.string())
  .superRefine((obj, ctx) => {
    for (const [metric, text] of Object.entries(obj)) {
      const t = parseThreshold(metric, text as string);
      if (typeof t === "string") ctx.addIssue({ code: "custom", message: t, path: [metric] });
    }
  })
  .describe('Thresholds: { rto: "< 10m", rpo: "<= 15m", backupThroughput: ">= 20MB/s" }');

const named = <T extends { name: string; description: string }>(defs: Readonly<Record<string, T>>) =>
  Object.values(defs);

function shape(reg: Registries) {
  const targetNames = Object.keys(reg.targets) as [string, ...string[]];
  const stepSchema = exactlyOne(
    Object.fromEntries(named(reg.steps).map((s) => [s.name, (s.schema as z.ZodType).describe(s.description)])),
    "step",
  );
  const toolEntrySchema = z.preprocess(
    (v) => (typeof v === "string" ? { [v]: {} } : v),
    exactlyOne(
      Object.fromEntries(named(reg.tools).map((t) => [t.name, (t.settings as z.ZodType).describe(t.description)])),
      "tools entry",
    ),
  );
  return {
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, "use lowercase letters, digits and dashes")
      .max(100),
    description: z.string().optional(),
    dataset: z
      .object({
        size: sizeText.default("50MB"),
        seed: z.number().int().min(0).default(1),
        copyFrom: z
          .string()
          .min(1)
          .optional()
          .describe("Copy this existing directory instead of generating data (never modified)."),
      })
      .strict()
      .default({ size: "50MB", seed: 1 }),
    mode: z
      .enum(["cold", "hot"])
      .default("cold")
      .describe("cold: stop services for the backup; hot: keep them running."),
    target: z
      .enum(targetNames)
      .optional()
      .describe(`Where the protected system runs: ${targetNames.join(", ")} (default local; --target overrides).`),
    targetSettings: z
      .object(
        Object.fromEntries(named(reg.targets).flatMap((t) => (t.settings ? [[t.name, t.settings.optional()]] : []))),
      )
      .strict()
      .optional()
      .describe("Settings per target, used when the run is on that target: { lab: { restoreOnto: fresh-node } }."),
    // A scenario's source of restore points other than its backup steps, under its own key.
    ...Object.fromEntries(
      named(reg.sources).map((s) => [s.name, (s.schema as z.ZodType).optional().describe(s.description)]),
    ),
    // Required, unless a source names the tool (repository.tool): said by wholeScenario.
    tools: z
      .array(toolEntrySchema)
      .default([])
      .describe("The tools to drill, one run per entry (required, unless a source such as repository names it)."),
    steps: z.array(stepSchema).min(1),
    expect: expectSchema.optional().describe("Outcome(s) that pass; default: what the faults declare, else recovered."),
    expectFor: z
      .record(z.string(), expectSchema)
      .optional()
      .describe(
        "Outcome(s) that pass for one tool, over `expect`: { lsyncd: failed } (replication copies a deleted " +
          "folder faithfully).",
      ),
    objectives: objectivesSchema.default({}),
    require: z.array(z.enum(ATTRIBUTES)).default([]).describe("Metadata that must survive for 'recovered'."),
    repeat: z.number().int().min(1).max(LIMITS.repeatMax).default(1),
    sweep: z
      .object({
        every: z
          .array(durationText({ minMs: 1000 }))
          .min(1)
          .optional()
          .describe("Backup intervals (1 s or more): one run per value, e.g. [5s, 15s, 60s]."),
        bandwidth: z
          .array(rateText)
          .min(1)
          .optional()
          .describe(
            "Bandwidth caps to a secondary site: one run per value, e.g. [1MB/s, 4MB/s, 16MB/s] (the bandwidth " +
              "fault without a rate uses it).",
          ),
        settings: z
          .record(z.string(), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1))
          .optional()
          .describe(
            "Tool settings to vary, TOOL.SETTING: [VALUE...], e.g. { restic.compression: [auto, max] }: each " +
              "tools entry of that tool runs once per combination (the matrix).",
          ),
        size: z
          .array(sizeText)
          .min(2)
          .optional()
          .describe("Dataset sizes: one run per value, e.g. [64MB, 256MB, 1GB] (with project: the points of the fit)."),
      })
      .strict()
      .optional()
      .describe(
        "Vary the schedule step's backup interval, a site's bandwidth cap, the dataset's size, or tool " +
          "settings, across runs.",
      ),
    project: z
      .object({
        size: sizeText.describe("The production size to project to, e.g. 3.34GB."),
      })
      .strict()
      .optional()
      .describe(
        "Fit restore time, backup time and repository size against the swept sizes (sweep.size) and project " +
          "them to this size (results.json: projection).",
      ),
    destination: createDestinationSchema(Object.keys(reg.stores)),
    warmup: z
      .boolean()
      .default(false)
      .describe("Run each tool and settings once first, not counted (like hyperfine --warmup)."),
    timeout: durationText({ minMs: LIMITS.timeoutMinMs })
      .optional()
      .describe("Bound on every single tool call (1 s to 24 h)."),
  };
}

/** The rules about the scenario as a whole: which tools run, and where its points come from. */
function wholeScenario(s: Record<string, unknown>, ctx: z.RefinementCtx, reg: Registries): void {
  const tools = (s.tools as Record<string, unknown>[]).map((e) => Object.entries(e)[0] as [string, unknown]);
  for (const t of Object.keys((s.expectFor as object | undefined) ?? {}))
    if (!tools.some(([name]) => name === t))
      ctx.addIssue({ code: "custom", message: `"${t}" is not one of this scenario's tools`, path: ["expectFor", t] });
  // The same tool with the same settings twice would run (and count) the same drill twice.
  tools.forEach(([name, settings], i) => {
    const first = tools.findIndex(([n, st]) => n === name && JSON.stringify(st) === JSON.stringify(settings));
    if (first < i)
      ctx.addIssue({
        code: "custom",
        message:
          `tools[${first}] and tools[${i}] are both ${name} with the same settings: ` +
          "each entry runs once; remove one (or change its settings)",
        path: ["tools", i],
      });
  });
  sweptSettings(s, tools, ctx, reg);
  const sources = Object.keys(reg.sources).filter((k) => s[k] !== undefined);
  if (sources.length > 1)
    ctx.addIssue({
      code: "custom",
      message: `a scenario has one source of restore points: ${sources.join(" or ")}, not both`,
      path: [sources[1]!],
    });
  // The tool is the source's (the one that made its repository) or the scenario's tools.
  if (sources.length > 0 && tools.length > 0)
    ctx.addIssue({
      code: "custom",
      message: `the tool is ${sources[0]}.tool's: a scenario with ${sources[0]}: has no tools`,
      path: ["tools"],
    });
  if (sources.length === 0 && tools.length === 0)
    ctx.addIssue({
      code: "custom",
      message: `give at least one tools entry (or a source of restore points: ${Object.keys(reg.sources).join(", ")})`,
      path: ["tools"],
    });
  // A projection is a fit: it needs the sizes it is fitted on.
  const sweep = s.sweep as { size?: unknown[] } | undefined;
  const dataset = s.dataset as { copyFrom?: string } | undefined;
  if (s.project && !sweep?.size)
    ctx.addIssue({
      code: "custom",
      message: "project needs sweep.size (two or more dataset sizes to fit, e.g. [64MB, 256MB, 1GB])",
      path: ["project"],
    });
  if (sweep?.size && dataset?.copyFrom)
    ctx.addIssue({
      code: "custom",
      message: "sweep.size generates each size: a copyFrom tree is the size it is",
      path: ["sweep", "size"],
    });
}

/** sweep.settings: each key a TOOL.SETTING of the scenario's tools, each value one it takes, no drill run twice. */
function sweptSettings(
  s: Record<string, unknown>,
  tools: [string, unknown][],
  ctx: z.RefinementCtx,
  reg: Registries,
): void {
  const sweep = (s.sweep as { settings?: SweptSettings } | undefined)?.settings;
  if (!sweep) return;
  const at = (path: (string | number)[]) => ["sweep", "settings", ...path];
  for (const p of keyProblems(sweep, [...new Set(tools.map(([name]) => name))]))
    ctx.addIssue({ code: "custom", message: p.message, path: at(p.path) });
  const seen = new Map<string, number>();
  const reported = new Set<string>();
  tools.forEach(([name, settings], i) => {
    const adapter = reg.tools[name];
    if (!adapter) return;
    const { settings: expanded, problems } = expandEntry(name, adapter, settings as Record<string, unknown>, sweep);
    for (const p of problems) {
      const key = JSON.stringify(p.path);
      if (reported.has(key)) continue; // the same bad value, once, however many entries of the tool
      reported.add(key);
      ctx.addIssue({ code: "custom", message: p.message, path: at(p.path) });
    }
    if (problems.length > 0 || expanded.length < 2) return;
    for (const e of expanded) {
      const id = `${name} ${JSON.stringify(e)}`;
      const first = seen.get(id);
      if (first !== undefined && first !== i)
        ctx.addIssue({
          code: "custom",
          message:
            `tools[${first}] and tools[${i}] run ${name} with the same settings once sweep.settings is applied: ` +
            "keep one entry",
          path: ["tools", i],
        });
      seen.set(id, i);
    }
  });
}

const made = new WeakMap<Registries, ReturnType<typeof build>>();

function build(reg: Registries) {
  return z
    .object(shape(reg))
    .strict()
    .superRefine((s, ctx) => wholeScenario(s, ctx, reg));
}

/** The schema of a scenario read with these plug-ins (made once per set of registries). */
export function createScenarioSchema(reg: Registries = REGISTRIES): ReturnType<typeof build> {
  let schema = made.get(reg);
  if (!schema) made.set(reg, (schema = build(reg)));
  return schema;
}

export const scenarioSchema = createScenarioSchema(REGISTRIES);

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Step = Scenario["steps"][number];

/** The JSON Schema for editors (yaml-language-server). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

// The scenario file schema: one zod schema is the validator, the TypeScript types and the JSON Schema.
import { z } from "zod";
import { FAULTS } from "../faults/registry.ts";
import { OBJECTIVE_NAMES } from "../model/metrics.ts";
import { parseThreshold } from "../objectives/parse.ts";
import { OUTCOMES } from "../model/outcome.ts";
import { ATTRIBUTES } from "../model/verification.ts";
import { TARGETS } from "../targets/registry.ts";
import { TOOLS } from "../tools/registry.ts";
import { parseDuration, parseSize } from "../util/units.ts";

const sizeText = z
  .union([z.string(), z.number()])
  .refine((v) => parseSize(v) !== undefined, { message: 'not a size; write e.g. "50MB", "3.34GB" or a number of bytes' })
  .describe("A size: 50MB, 3.34GB, 512MiB, or bytes.");

const durationText = z
  .string()
  .refine((v) => parseDuration(v) !== undefined, { message: 'not a duration; write e.g. "500ms", "10s", "5m", "1h"' })
  .describe("A duration: 500ms, 10s, 5m, 1h.");

/** An object that must have exactly one of the given keys (a tagged union that reads well in YAML). */
function exactlyOne<T extends z.ZodRawShape>(shape: T, what: string) {
  const keys = Object.keys(shape);
  return z.preprocess(
    (raw, ctx) => {
      if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
      const present = Object.keys(raw);
      const unknown = present.filter((k) => !keys.includes(k));
      for (const k of unknown) ctx.addIssue({ code: "custom", message: `unknown ${what} "${k}" (known: ${keys.join(", ")})`, path: [k], input: raw });
      if (unknown.length === 0 && present.length !== 1) {
        ctx.addIssue({ code: "custom", message: `a ${what} has exactly one of: ${keys.join(", ")} (found ${present.length})`, input: raw });
      }
      return Object.fromEntries(Object.entries(raw).filter(([k]) => keys.includes(k)));
    },
    z.object(shape).partial().strict().meta({ minProperties: 1, maxProperties: 1 }),
  );
}

const faultShape = Object.fromEntries(
  Object.values(FAULTS).map((f) => [
    f.name,
    (f.params as z.ZodType).superRefine((p, ctx) => {
      for (const problem of f.validate?.(p) ?? []) {
        ctx.addIssue({ code: "custom", message: problem.message, path: problem.field ? problem.field.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k)) : [] });
      }
    }).describe(f.description),
  ]),
) as Record<string, z.ZodType>;

const toolShape = Object.fromEntries(
  Object.values(TOOLS).map((t) => [t.name, (t.settings as z.ZodType).describe(t.description)]),
) as Record<string, z.ZodType>;

export const stepSchema = exactlyOne(
  {
    backup: z.enum(["full", "incremental"]).describe("Take a backup with the tool."),
    load: durationText.describe("Let the load writer run this long (what RPO is measured against)."),
    wait: durationText.describe("Pause."),
    fault: exactlyOne(faultShape, "fault").describe("Inject a fault."),
    check: z.enum(["light", "deep"]).describe("Check the repository: light (structure) or deep (read all data)."),
    restore: z
      .union([z.literal("latest"), z.object({ at: z.string().describe("ISO 8601 time, or 'backup:N' for the Nth backup.") }).strict()])
      .describe("Restore into an empty directory, put it in place, start the services."),
    verify: z.array(z.enum(["files", "services"])).min(1).describe("What must hold for 'recovered'."),
    schedule: z
      .object({
        for: durationText.describe("How long the load writer runs while backups are taken."),
        every: durationText.optional().describe("Backup interval; default: the scenario's sweep.every."),
        backup: z.enum(["full", "incremental"]).default("incremental"),
        jitter: z.boolean().default(true).describe("Let the disaster strike at a seeded random point of the last interval."),
      })
      .strict()
      .describe("Backups every interval while the load writer runs (achieved RPO vs interval)."),
  },
  "step",
);

export const toolEntrySchema = z.preprocess(
  (v) => (typeof v === "string" ? { [v]: {} } : v),
  exactlyOne(toolShape, "tools entry"),
);

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

export const scenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lowercase letters, digits and dashes"),
    description: z.string().optional(),
    dataset: z
      .object({
        size: sizeText.default("50MB"),
        seed: z.number().int().min(0).default(1),
        copyFrom: z.string().optional().describe("Copy this existing directory instead of generating data (never modified)."),
      })
      .strict()
      .default({ size: "50MB", seed: 1 }),
    mode: z.enum(["cold", "hot"]).default("cold").describe("cold: stop services for the backup; hot: keep them running."),
    target: z.enum(["local", "lab", "ssh", "multipass"]).optional(),
    targetSettings: z
      .object(Object.fromEntries(Object.values(TARGETS).flatMap((t) => (t.settings ? [[t.name, t.settings.optional()]] : []))))
      .strict()
      .optional()
      .describe("Settings per target, used when the run is on that target: { lab: { restoreOnto: fresh-node } }."),
    tools: z.array(toolEntrySchema).min(1),
    steps: z.array(stepSchema).min(1),
    expect: expectSchema.optional().describe("Outcome(s) that pass; default: what the faults declare, else recovered."),
    objectives: objectivesSchema.default({}),
    require: z.array(z.enum(ATTRIBUTES)).default([]).describe("Metadata that must survive for 'recovered'."),
    repeat: z.number().int().min(1).max(100).default(1),
    sweep: z
      .object({ every: z.array(durationText).min(1).describe("Backup intervals: one run per value, e.g. [5s, 15s, 60s].") })
      .strict()
      .optional()
      .describe("Vary the schedule step's backup interval across runs."),
    warmup: z.boolean().default(false).describe("Run each tool and settings once first, not counted (like hyperfine --warmup)."),
    timeout: durationText.optional().describe("Bound on every single tool call."),
  })
  .strict()
  .superRefine((s, ctx) => {
    const steps = s.steps as Record<string, unknown>[];
    const firstBackup = steps.findIndex((st) => "backup" in st);
    steps.forEach((st, i) => {
      if ("restore" in st && (firstBackup < 0 || firstBackup > i)) {
        ctx.addIssue({ code: "custom", message: "restore comes before any backup", path: ["steps", i, "restore"] });
      }
      const sched = st.schedule as { every?: string; backup?: string } | undefined;
      if (sched && !sched.every && !s.sweep) {
        ctx.addIssue({ code: "custom", message: "a schedule needs `every`, or the scenario's sweep.every", path: ["steps", i, "schedule", "every"] });
      }
      if (sched && sched.backup !== "full" && (firstBackup < 0 || firstBackup >= i)) {
        ctx.addIssue({ code: "custom", message: "scheduled incremental backups need a full backup before them", path: ["steps", i, "schedule"] });
      }
      if (st.backup === "incremental" && (firstBackup < 0 || firstBackup >= i)) {
        ctx.addIssue({ code: "custom", message: "an incremental backup needs a full backup before it", path: ["steps", i, "backup"] });
      }
    });
  });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Step = z.output<typeof stepSchema>;

/** The JSON Schema for editors (yaml-language-server). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

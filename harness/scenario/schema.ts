// The scenario file schema: one zod schema is the validator, the TypeScript types and the JSON Schema.
// Steps, tools, faults and targets come from their registries; what a tool cannot do is refused here.
import { z } from "zod";
import { OBJECTIVE_NAMES } from "../model/metrics.ts";
import { OUTCOMES } from "../model/outcome.ts";
import { ATTRIBUTES } from "../model/verification.ts";
import { parseThreshold } from "../objectives/parse.ts";
import { STEPS } from "../steps/registry.ts";
import { TARGETS } from "../targets/registry.ts";
import { TOOLS } from "../tools/registry.ts";
import { exactlyOne } from "../util/exactly-one.ts";
import { parseDuration } from "../util/units.ts";
import { durationText, rateText, sizeText } from "../util/zod-units.ts";
import { destinationSchema, siteOf } from "../site/site-settings.ts";
import { FAULTS } from "../faults/registry.ts";

/** Bounds shared with the command line (--repeat, --timeout): one rule for both. */
export const LIMITS = { repeatMax: 100, timeoutMinMs: 1000, jobsMax: 64 } as const;

export const stepSchema = exactlyOne(
  Object.fromEntries(
    Object.values(STEPS).map((s) => [s.name, (s.schema as z.ZodType).describe(s.description)]),
  ) as Record<string, z.ZodType>,
  "step",
);

const toolShape = Object.fromEntries(
  Object.values(TOOLS).map((t) => [t.name, (t.settings as z.ZodType).describe(t.description)]),
) as Record<string, z.ZodType>;

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

const targetNames = Object.keys(TARGETS) as [string, ...string[]];

/** How many backups a schedule step takes (for the fewest of the swept intervals). */
function scheduledBackups(st: Record<string, unknown>, sweep: string[] | undefined): number {
  const sched = st.schedule as { for: string; every?: string } | undefined;
  if (!sched) return 0;
  const forMs = parseDuration(sched.for) ?? 0;
  const intervals = (sched.every ? [sched.every] : (sweep ?? [])).map((e) => parseDuration(e) ?? Infinity);
  return intervals.length === 0 ? 0 : Math.min(...intervals.map((every) => Math.floor(forMs / every)));
}

export const scenarioSchema = z
  .object({
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
        Object.fromEntries(
          Object.values(TARGETS).flatMap((t) => (t.settings ? [[t.name, t.settings.optional()]] : [])),
        ),
      )
      .strict()
      .optional()
      .describe("Settings per target, used when the run is on that target: { lab: { restoreOnto: fresh-node } }."),
    tools: z.array(toolEntrySchema).min(1),
    steps: z.array(stepSchema).min(1),
    expect: expectSchema.optional().describe("Outcome(s) that pass; default: what the faults declare, else recovered."),
    expectFor: z
      .record(z.string(), expectSchema)
      .optional()
      .describe(
        "Outcome(s) that pass for one tool, over `expect`: { lsyncd: failed } (replication copies a deleted folder faithfully).",
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
            "Bandwidth caps to a secondary site: one run per value, e.g. [1MB/s, 4MB/s, 16MB/s] (the bandwidth fault without a rate uses it).",
          ),
      })
      .strict()
      .optional()
      .describe("Vary the schedule step's backup interval, or a site's bandwidth cap, across runs."),
    destination: destinationSchema,
    warmup: z
      .boolean()
      .default(false)
      .describe("Run each tool and settings once first, not counted (like hyperfine --warmup)."),
    timeout: durationText({ minMs: LIMITS.timeoutMinMs })
      .optional()
      .describe("Bound on every single tool call (1 s to 24 h)."),
  })
  .strict()
  .superRefine((s, ctx) => {
    const steps = s.steps as Record<string, unknown>[];
    const firstBackup = steps.findIndex(
      (st) => "backup" in st || (st.schedule as { backup?: string } | undefined)?.backup === "full",
    );
    let backupsSoFar = 0;
    steps.forEach((st, i) => {
      if ("restore" in st && (firstBackup < 0 || firstBackup > i) && !steps.slice(0, i).some((p) => "schedule" in p)) {
        ctx.addIssue({ code: "custom", message: "restore comes before any backup", path: ["steps", i, "restore"] });
      }
      const at = typeof st.restore === "object" && st.restore !== null ? (st.restore as { at?: string }).at : undefined;
      const nth = at ? /^backup:(\d+)$/.exec(at.trim()) : null;
      if (nth && Number(nth[1]) > backupsSoFar) {
        ctx.addIssue({
          code: "custom",
          message: `backup:${nth[1]} does not exist: at most ${backupsSoFar} backup(s) are taken before this restore`,
          path: ["steps", i, "restore", "at"],
        });
      }
      const sched = st.schedule as { every?: string; backup?: string } | undefined;
      if (sched && !sched.every && !s.sweep?.every) {
        ctx.addIssue({
          code: "custom",
          message: "a schedule needs `every`, or the scenario's sweep.every",
          path: ["steps", i, "schedule", "every"],
        });
      }
      if (sched && sched.backup !== "full" && (firstBackup < 0 || firstBackup >= i)) {
        ctx.addIssue({
          code: "custom",
          message: "scheduled incremental backups need a full backup before them",
          path: ["steps", i, "schedule"],
        });
      }
      if (st.backup === "incremental" && (firstBackup < 0 || firstBackup >= i)) {
        ctx.addIssue({
          code: "custom",
          message: "an incremental backup needs a full backup before it",
          path: ["steps", i, "backup"],
        });
      }
      if ("backup" in st) backupsSoFar++;
      backupsSoFar += scheduledBackups(st, s.sweep?.every);
    });
    // Faults that act on the link to a secondary site need one.
    const site = siteOf(s.destination as never);
    steps.forEach((st, i) => {
      for (const [name, params] of Object.entries((st.fault ?? {}) as Record<string, Record<string, unknown>>)) {
        const f = FAULTS[name];
        if (f?.needsSite && !site)
          ctx.addIssue({
            code: "custom",
            message: `${name} acts on the link to a secondary site: set destination: site`,
            path: ["steps", i, "fault", name],
          });
        if (name === "bandwidth" && params?.rate === undefined && !s.sweep?.bandwidth)
          ctx.addIssue({
            code: "custom",
            message: "a bandwidth fault needs a rate, or the scenario's sweep.bandwidth",
            path: ["steps", i, "fault", name, "rate"],
          });
      }
    });
    for (const t of Object.keys(s.expectFor ?? {})) {
      if (!(s.tools as Record<string, unknown>[]).some((e) => Object.keys(e)[0] === t))
        ctx.addIssue({ code: "custom", message: `"${t}" is not one of this scenario's tools`, path: ["expectFor", t] });
    }
    // What a tool (with its settings) cannot do is known now: refuse it before anything runs.
    (s.tools as Record<string, Record<string, unknown>>[]).forEach((entry, ti) => {
      const [name, settings] = Object.entries(entry)[0] as [string, Record<string, unknown>];
      const tool = TOOLS[name]!;
      if (tool.capabilities.replication && !site)
        ctx.addIssue({
          code: "custom",
          message: `${name} replicates to a secondary site: set destination: site`,
          path: ["tools", ti],
        });
      const targetName = (s.target as string | undefined) ?? "local";
      const targetDef = TARGETS[targetName];
      if (tool.capabilities.replication?.standby) {
        if (targetDef && !targetDef.standbyNodes)
          ctx.addIssue({
            code: "custom",
            message: `${name} fails over to a standby node at site B, which the ${targetName} target cannot start (target: lab can)`,
            path: ["tools", ti],
          });
        if (site?.host)
          ctx.addIssue({
            code: "custom",
            message: `${name}'s standby node runs at the site drdrill stands up, in its network and on its disk: leave out destination.site.host`,
            path: ["tools", ti],
          });
        if (s.mode !== "hot")
          ctx.addIssue({
            code: "custom",
            message: `${name} replicates a running database: set mode: hot (cold stops the primary's services for every backup step)`,
            path: ["mode"],
          });
      } else if (tool.capabilities.replication && targetDef?.standbyNodes) {
        ctx.addIssue({
          code: "custom",
          message: `${name} mirrors files to a plain folder at site B, but the ${targetName} target fails over to a standby node that runs its services: use a replicator that keeps one (mariadb-replication)`,
          path: ["tools", ti],
        });
      }
      if (site && "unsupported" in tool.capabilities.site)
        ctx.addIssue({
          code: "custom",
          message: `${tool.capabilities.site.unsupported} (destination: site)`,
          path: ["tools", ti],
        });
      steps.forEach((st, i) => {
        const [kind, params] = Object.entries(st)[0] as [string, unknown];
        const why = STEPS[kind]?.requires?.(params, tool, settings);
        if (why) ctx.addIssue({ code: "custom", message: `${why} (tools[${ti}]: ${name})`, path: ["steps", i, kind] });
      });
    });
  });

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type Step = z.output<typeof stepSchema>;

/** The JSON Schema for editors (yaml-language-server). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}

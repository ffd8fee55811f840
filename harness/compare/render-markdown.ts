// The comparison as Markdown for a pull request and a CI step summary: the verdict and its exit code
// first, how a change is told from noise, what got worse, then every metric in a collapsed table.
import { EFFECT_KINDS, formatMetricValue, NOISY_EFFECTS } from "../model/metrics.ts";
import { runsNeeded, smallestP } from "../metrics/mann-whitney.ts";
import type { ResultsComparison, GroupChange, MetricChange } from "./compare-results.ts";
import { minEffectText } from "./judge.ts";
import type { Spread } from "./spread.ts";

const MARK: Record<MetricChange["verdict"], string> = {
  regression: "❌ regression",
  improvement: "✅ improvement",
  noise: "≈ within noise",
  unchanged: "= unchanged",
  "not-judged": "· not judged",
  "not-compared": "–",
};

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const confidenceText = (c: number) => `${Math.round(c * 1000) / 10}%`;

function spreadText(m: MetricChange, s: Spread | null): string {
  if (!s) return "–";
  const f = (v: number) => formatMetricValue(m.kind.unit, v);
  return s.n > 1 ? `${f(s.median)} <sub>${f(s.min)}–${f(s.max)}, n=${s.n}</sub>` : f(s.median);
}

function change(m: MetricChange): string {
  if (m.changePct === null) return m.verdict === "not-compared" ? "–" : "from 0";
  return `${m.changePct > 0 ? "+" : m.changePct < 0 ? "−" : "±"}${Math.abs(m.changePct).toFixed(1)}%`;
}

const groupName = (g: GroupChange) => `${g.scenario} · ${g.label}`;
const mark = (m: MetricChange) => `${MARK[m.verdict]}${m.gated ? "" : " (not gated)"}`;

const tableRow = (cells: string[]) => `| ${cells.join(" | ")} |`;

/** One metric's cells: its name, both sides' spread, the change, the verdict and why. */
const metricCells = (m: MetricChange) => [
  m.kind.label,
  spreadText(m, m.base),
  spreadText(m, m.next),
  change(m),
  mark(m),
  cell(m.why),
];

const row = (g: GroupChange, m: MetricChange) => tableRow([cell(groupName(g)), ...metricCells(m)]);

const HEAD = ["| group | metric | base | new | change | verdict | why |", "|---|---|---:|---:|---:|---|---|"];
const GROUP_HEAD = ["| metric | base | new | change | verdict | why |", "|---|---:|---:|---:|---|---|"];

function headline(c: ResultsComparison): string {
  const code = `(exit ${c.exitCode})`;
  if (c.exitCode === 0)
    return `✅ **No regression**${c.improvements > 0 ? `, ${plural(c.improvements, "improvement")}` : ""} ${code}`;
  if (c.common === 0) return `⛔ **Nothing in common** ${code}`;
  return `❌ **${c.verdict[0]!.toUpperCase()}${c.verdict.slice(1)}** ${code}`;
}

/** How a change is told from noise, in the options given. */
function method(c: ResultsComparison): string {
  const o = c.options;
  const alpha = Number((1 - o.confidence).toPrecision(3));
  const min = (kinds: readonly string[]) =>
    EFFECT_KINDS.filter((k) => kinds.includes(k))
      .map((k) => `${k === "bytes" ? "" : `${k} `}${minEffectText(k, o.minEffect[k])}`)
      .join("; ");
  const gated = o.gated ? `Gated: ${o.gated.join(", ")} (--metrics); the other metrics are shown, not counted.` : "";
  return [
    "Times, rates and memory count when a Mann-Whitney U test on the runs of both sides tells the change from",
    `noise at ${confidenceText(o.confidence)} confidence (p < ${alpha}; that takes ${runsNeeded(alpha)} runs a side)`,
    `and it exceeds the minimum effect (${min(NOISY_EFFECTS)});`,
    `sizes when they exceed ${min(["bytes"])} and, with repeats, fall outside both runs' min–max.`,
    "Outcomes, objectives and the recovery point count whenever they get worse.",
    gated,
  ]
    .filter(Boolean)
    .join(" ");
}

function nothingInCommon(c: ResultsComparison, labels: { base: string; next: string }): string[] {
  const list = (xs: string[]) => [
    ...xs.slice(0, 20).map((x) => `- ${cell(x)}`),
    ...(xs.length > 20 ? [`- … ${xs.length - 20} more`] : []),
  ];
  return [
    "### Nothing in common",
    "",
    "No scenario, tool and settings ran in both folders: a baseline from another project, branch or scenario " +
      "set? Nothing was compared.",
    "",
    `Base \`${labels.base}\` holds:`,
    ...list(c.base.holds),
    "",
    `New \`${labels.next}\` holds:`,
    ...list(c.next.holds),
    "",
  ];
}

/** Why times, rates and memory were not judged: too few runs on either side (or --strict judged them anyway). */
function notJudgedLine(c: ResultsComparison, both: GroupChange[]): string[] {
  const alpha = 1 - c.options.confidence;
  const few = both.filter((g) => smallestP(g.base!.runs, g.next!.runs) >= alpha);
  if (few.length === 0) return [];
  const runs = [...new Set(few.map((g) => `${g.base!.runs} vs ${g.next!.runs}`))].join(", ");
  const single = few.some((g) => g.base!.runs === 1 || g.next!.runs === 1);
  const cause = single
    ? "single runs have no spread to tell a change from noise by"
    : "too few runs to tell it from noise";
  const needed = `${runsNeeded(alpha)} runs a side needed`;
  const why = `${cause} at ${confidenceText(c.options.confidence)} confidence (${needed})`;
  const which = `for ${plural(few.length, "drill")} (${runs} runs): ${why}`;
  return [
    c.options.strict
      ? `⚠️ **Times, rates and memory judged by the minimum effect alone** (--strict) ${which}; ` +
        "a change there may be noise."
      : `⚠️ **Times, rates and memory were not judged** ${which}. ` +
        "Judged there: outcomes, objectives, recovery point and sizes. " +
        `Repeat the drills (\`--repeat ${runsNeeded(alpha)}\`), or compare with \`--strict\` ` +
        "to judge them by the minimum effect alone.",
    "",
  ];
}

/** `labels` name the two sides, e.g. their folders. */
export function renderComparisonMarkdown(
  c: ResultsComparison,
  labels: { base: string; next: string } = { base: "base", next: "new" },
): string {
  const runs = (s: ResultsComparison["base"]) => `run ${s.runId}, ${plural(s.runs, "run")}, ${s.startedAt}`;
  const lines = [
    `## drdrill compare: ${headline(c)}`,
    "",
    `Base \`${labels.base}\` (${runs(c.base)}) → new \`${labels.next}\` (${runs(c.next)}).`,
    method(c),
    "",
  ];
  if (c.common === 0) return [...lines, ...nothingInCommon(c, labels)].join("\n");
  if (c.base.parallelJobs !== c.next.parallelJobs) {
    const how = (n: number) => (n > 1 ? `up to ${n} runs at once (--jobs)` : "one run at a time");
    lines.push(
      `⚠️ Base ran ${how(c.base.parallelJobs)}, new ${how(c.next.parallelJobs)}: runs that share the machine are ` +
        "slower, so their timings are not comparable with serial ones.",
      "",
    );
  }
  const both = c.groups.filter((g) => g.presence === "both");
  lines.push(...notJudgedLine(c, both));
  const worse = both.flatMap((g) =>
    g.findings.map((f) => `- ❌ **${cell(groupName(g))}**: ${cell(f.text)} (exit ${f.exitCode})`),
  );
  if (worse.length > 0) lines.push("### What got worse", "", ...worse, "");
  const notable = both.flatMap((g) =>
    g.metrics.filter((m) => m.verdict === "regression" || m.verdict === "improvement").map((m) => row(g, m)),
  );
  if (notable.length > 0) lines.push("### Changes beyond the noise", "", ...HEAD, ...notable, "");
  else lines.push("No metric changed beyond the noise.", "");
  const only = c.groups.filter((g) => g.presence !== "both");
  if (only.length > 0) {
    lines.push(`### Not in both runs${c.options.requireAll ? " (--require-all: exit 2)" : ""}`, "");
    for (const g of only) {
      const where = g.presence === "base-only" ? "base" : "new";
      lines.push(`- ${cell(groupName(g))}: only in ${where} (${plural((g.base ?? g.next)!.runs, "run")})`);
    }
    lines.push("");
  }
  const notes = both.flatMap((g) => g.notes.map((n) => `- ${cell(groupName(g))}: ${n}`));
  if (notes.length > 0) lines.push("### Notes", "", ...notes, "");
  lines.push("<details><summary>All metrics</summary>", "");
  for (const g of both) {
    const passed = `base ${g.base!.passed}/${g.base!.runs} passed, new ${g.next!.passed}/${g.next!.runs}`;
    lines.push(`**${cell(groupName(g))}** (${passed})`, "", ...GROUP_HEAD);
    for (const m of g.metrics) lines.push(tableRow(metricCells(m)));
    lines.push("");
  }
  lines.push("</details>", "");
  return lines.join("\n");
}
